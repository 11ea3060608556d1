"""The ``screenpilot`` command line. Imports stay lazy so ``--help`` is fast."""
