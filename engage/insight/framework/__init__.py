"""The frameworks of themes conversations are sorted by: the built-in one and a
partnership's own, read from TOML files (file.py, files/), stored and changed by
services.py."""
