"""The `stormops` command line: thin commands over the domain packages."""
