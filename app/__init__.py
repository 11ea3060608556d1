"""Applications on top of the library: the command line, the web UI and run reports."""
