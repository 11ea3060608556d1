"""The description of a simulated GUI: screens of widgets, a popup dialog, faults."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WidgetKind = Literal["button", "field", "checkbox", "label", "link"]


class Rect(BaseModel):
    """A widget's rectangle in logical pixels."""

    model_config = ConfigDict(frozen=True)

    x: int
    y: int
    w: int = Field(gt=0)
    h: int = Field(gt=0)

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px < self.x + self.w and self.y <= py < self.y + self.h


class Widget(BaseModel):
    """One control.

    ``on_click`` is a small command language for buttons and links, never code:
    ``goto:SCREEN``, ``submit`` (check the screen's ``requires`` and go to its
    ``on_success`` or show ``error_text``), ``close_dialog``, or ``none``.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    kind: WidgetKind
    label: str = ""
    rect: Rect
    password: bool = False
    placeholder: str = ""
    on_click: str = "none"
    initial_value: str = ""
    initial_checked: bool = False


class ScreenSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    widgets: tuple[Widget, ...]
    requires: dict[str, str] = Field(default_factory=dict)
    """Field id -> value that ``submit`` checks (``"checked"`` for checkboxes)."""
    on_success: str | None = None
    error_text: str = "Invalid input"
    content_height: int | None = None
    """Logical height of the scrollable content, when taller than the window."""


class DialogSpec(BaseModel):
    """A modal popup that blocks everything else until one of its buttons is clicked."""

    model_config = ConfigDict(frozen=True)

    title: str = "Notice"
    text: str = "We use cookies to improve your experience."
    buttons: tuple[str, ...] = ("Accept", "Reject")
    at_steps: tuple[int, ...] = ()
    """Executed-action counts after which the dialog appears."""
    probability: float = Field(default=0.0, ge=0.0, le=1.0)
    """Chance, after each action, that the dialog appears (seeded)."""
    max_times: int = 1


class FaultSpec(BaseModel):
    """Failures to inject, for testing error handling."""

    model_config = ConfigDict(frozen=True)

    driver_error_at: tuple[int, ...] = ()
    """Action counts (0-based) at which ``execute`` raises ``DriverError``."""
    crash_at: tuple[int, ...] = ()
    """Action counts at which ``execute`` raises ``EnvCrashed``."""
    execute_delay_s: float = 0.0


class AppSpec(BaseModel):
    """A whole simulated application."""

    model_config = ConfigDict(frozen=True)

    name: str = "app"
    width: int = Field(default=800, gt=0)
    height: int = Field(default=600, gt=0)
    screens: tuple[ScreenSpec, ...]
    start: str
    dialog: DialogSpec | None = None
    faults: FaultSpec = FaultSpec()

    def screen(self, name: str) -> ScreenSpec:
        for s in self.screens:
            if s.name == name:
                return s
        raise KeyError(name)


def login_app(*, user: str = "alice", password: str = "wonderland") -> AppSpec:  # noqa: S107 (a demo app)
    """A sign-in form leading to a dashboard with tabs (the default fake app)."""

    def r(x: int, y: int, w: int, h: int) -> Rect:
        return Rect(x=x, y=y, w=w, h=h)

    login = ScreenSpec(
        name="login",
        title="Sign in",
        widgets=(
            Widget(id="username_label", kind="label", label="Username", rect=r(250, 150, 300, 24)),
            Widget(
                id="username",
                kind="field",
                label="Username",
                placeholder="Username",
                rect=r(250, 178, 300, 36),
            ),
            Widget(id="password_label", kind="label", label="Password", rect=r(250, 230, 300, 24)),
            Widget(
                id="password",
                kind="field",
                label="Password",
                placeholder="Password",
                password=True,
                rect=r(250, 258, 300, 36),
            ),
            Widget(id="remember", kind="checkbox", label="Remember me", rect=r(250, 310, 200, 24)),
            Widget(
                id="sign_in", kind="button", label="Sign in", on_click="submit", rect=r(250, 350, 140, 40)
            ),
            Widget(
                id="help",
                kind="link",
                label="Forgot password?",
                on_click="goto:help",
                rect=r(410, 358, 150, 24),
            ),
        ),
        requires={"username": user, "password": password},
        on_success="dashboard",
        error_text="Wrong username or password",
    )
    tabs = (
        Widget(
            id="tab_overview",
            kind="button",
            label="Overview",
            on_click="goto:dashboard",
            rect=r(40, 80, 120, 36),
        ),
        Widget(
            id="tab_invoices",
            kind="button",
            label="Invoices",
            on_click="goto:invoices",
            rect=r(170, 80, 120, 36),
        ),
        Widget(
            id="tab_settings",
            kind="button",
            label="Settings",
            on_click="goto:settings",
            rect=r(300, 80, 120, 36),
        ),
    )
    dashboard = ScreenSpec(
        name="dashboard",
        title="Dashboard",
        widgets=(
            *tabs,
            Widget(id="welcome", kind="label", label=f"Welcome, {user}", rect=r(40, 150, 400, 30)),
        ),
    )
    invoices = ScreenSpec(
        name="invoices",
        title="Invoices",
        widgets=(
            *tabs,
            *(
                Widget(
                    id=f"invoice_{i}",
                    kind="label",
                    label=f"Invoice #{1000 + i}  ${i * 125}.00",
                    rect=r(40, 150 + 40 * i, 400, 30),
                )
                for i in range(1, 21)
            ),
        ),
        content_height=1000,
    )
    settings = ScreenSpec(
        name="settings",
        title="Settings",
        widgets=(
            *tabs,
            Widget(
                id="notifications", kind="checkbox", label="Email notifications", rect=r(40, 150, 300, 24)
            ),
            Widget(
                id="display_name",
                kind="field",
                label="Display name",
                placeholder="Display name",
                rect=r(40, 200, 300, 36),
            ),
            Widget(
                id="save", kind="button", label="Save", on_click="goto:dashboard", rect=r(40, 260, 100, 40)
            ),
        ),
    )
    help_screen = ScreenSpec(
        name="help",
        title="Help",
        widgets=(
            Widget(id="help_text", kind="label", label="Ask your administrator.", rect=r(40, 150, 400, 30)),
            Widget(
                id="back_to_login",
                kind="link",
                label="Back to sign in",
                on_click="goto:login",
                rect=r(40, 200, 160, 24),
            ),
        ),
    )
    return AppSpec(
        name="demo",
        screens=(login, dashboard, invoices, settings, help_screen),
        start="login",
    )
