"""``python -m screenpilot``: the command line."""

import sys

from screenpilot.app.cli.main import main

sys.exit(main())
