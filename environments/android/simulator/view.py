"""View nodes and screen metrics shared by the simulated screens."""

from __future__ import annotations

from dataclasses import dataclass, field

Rect = tuple[int, int, int, int]

SYSUI = "com.android.systemui"
DIALOG_PKG = "com.google.android.permissioncontroller"
ANR_PKG = "android"
"""The system server's package, which owns "app isn't responding" dialogs."""


@dataclass
class Node:
    """One view. ``bounds`` are clipped to the visible area; ``rect`` is where it is drawn."""

    cls: str
    package: str
    bounds: Rect
    text: str = ""
    desc: str = ""
    rid: str = ""
    hint: str = ""
    clickable: bool = False
    checkable: bool = False
    checked: bool = False
    focusable: bool = False
    focused: bool = False
    scrollable: bool = False
    long_clickable: bool = False
    password: bool = False
    selected: bool = False
    enabled: bool = True
    action: str = ""
    style: str = ""
    color: tuple[int, int, int] = (255, 255, 255)
    rect: Rect | None = None
    children: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        """This node and all descendants, in drawing order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class Metrics:
    """Sizes derived from the screen, scaled from a 720 px wide design."""

    width: int
    height: int

    @property
    def s(self) -> float:
        return min(self.width, self.height) / 720

    def px(self, value: float) -> int:
        return round(value * self.s)

    @property
    def status_h(self) -> int:
        return self.px(50)

    @property
    def nav_h(self) -> int:
        return self.px(100)

    @property
    def toolbar_bottom(self) -> int:
        return self.status_h + self.px(140)

    @property
    def content_bottom(self) -> int:
        return self.height - self.nav_h
