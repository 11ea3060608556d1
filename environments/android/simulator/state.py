"""Ground truth of the simulated device, kept for tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from screenpilot.environments.android.simulator.catalog import LATIN_IME

SETTINGS_ROWS: tuple[tuple[str, str, bool], ...] = (
    # (key, title, has a toggle)
    ("wifi", "Wi-Fi", True),
    ("bluetooth", "Bluetooth", True),
    ("airplane", "Airplane mode", True),
    ("network", "Network & internet", False),
    ("display", "Display", False),
    ("dark", "Dark theme", True),
    ("sound", "Sound & vibration", False),
    ("storage", "Storage", False),
    ("battery", "Battery", False),
    ("apps", "Apps", False),
    ("location", "Location", True),
    ("security", "Security & privacy", False),
    ("accounts", "Passwords & accounts", False),
    ("about", "About phone", False),
)


@dataclass
class SimState:
    """Everything the simulated phone knows. Mutated only under the device's lock.

    ``stack`` holds screen ids (``launcher``, ``settings``, ``about``, ``form``, ``camera``,
    ``clock``, ``recents``); the last one is in front.
    """

    stack: list[str] = field(default_factory=lambda: ["launcher"])
    toggles: dict[str, bool] = field(
        default_factory=lambda: {
            "wifi": True,
            "bluetooth": False,
            "airplane": False,
            "dark": False,
            "location": True,
        }
    )
    scroll: dict[str, int] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=lambda: {"name": "", "message": ""})
    focus: str | None = None
    select_all: bool = False
    submitted: list[dict[str, str]] = field(default_factory=list)
    dialog: str | None = None
    """``camera`` (the permission prompt) or ``anr`` (the app in front is not responding)."""
    photos: int = 0
    permissions: dict[str, str] = field(default_factory=dict)
    recents: list[str] = field(default_factory=list)
    clipboard: str = ""
    ime: str = LATIN_IME
    rotation: int = 0
    events: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    version: int = 0

    @property
    def screen(self) -> str:
        return self.stack[-1]

    def touch(self, event: str) -> None:
        """Record an input event and invalidate cached frames."""
        self.events.append(event)
        self.version += 1
