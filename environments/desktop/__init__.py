"""The desktop environment: mss capture and pyautogui input on a real display.

Importing this package is cheap; mss, pyautogui and python-xlib are imported when an
environment is created.
"""

from screenpilot.environments.desktop.config import DesktopConfig
from screenpilot.environments.desktop.env import DesktopEnvironment
from screenpilot.environments.desktop.windows import WindowInfo

__all__ = ["DesktopConfig", "DesktopEnvironment", "WindowInfo"]
