"""BrowserGym tasks as a screenpilot environment (MiniWoB++, WebArena, WorkArena, ...).

Importing this package needs the ``browsergym`` extra (``pip install 'screenpilot[browsergym]'``
plus BrowserGym itself, see ``docs/benchmarks.md``).
"""

from screenpilot.environments.browsergym.config import BrowserGymConfig
from screenpilot.environments.browsergym.env import BrowserGymEnvironment

__all__ = ["BrowserGymConfig", "BrowserGymEnvironment"]
