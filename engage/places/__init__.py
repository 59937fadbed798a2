"""Reference data about the places people live: postcodes, deprivation, census counts
and boundaries, loaded from the files the statistics bodies publish. Conversations are
placed by it as they come in; reach measures against it."""
