"""Finding themes nobody has named yet: groups of similar conversations discovered in
the bank, which a person merges, splits and promotes into the framework."""
