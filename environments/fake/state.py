"""The mutable state of a simulated GUI: the ground truth tests check."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeState:
    """Ground truth of a :class:`~environments.fake.env.FakeEnvironment`.

    Attributes:
        screen: Name of the screen shown.
        values: Text of every field, by widget id.
        checked: State of every checkbox, by widget id.
        focus: Id of the focused field.
        dialog_open: Whether the popup dialog is showing.
        dialogs_shown: How many times it has appeared.
        dialog_choice: The button last clicked in the dialog.
        error: Error text shown on the current screen.
        scroll_y: Vertical scroll offset of the current screen, in logical pixels.
        actions: Number of actions executed.
        pointer: Last pointer position in logical pixels.
        log: Every executed action, described.
        select_all: Whether the focused field's text is selected (ctrl+a).
    """

    screen: str
    values: dict[str, str] = field(default_factory=dict)
    checked: dict[str, bool] = field(default_factory=dict)
    focus: str | None = None
    dialog_open: bool = False
    dialogs_shown: int = 0
    dialog_choice: str | None = None
    error: str = ""
    scroll_y: int = 0
    actions: int = 0
    pointer: tuple[float, float] = (0.0, 0.0)
    log: list[str] = field(default_factory=list)
    select_all: bool = False
    visited: list[str] = field(default_factory=list)
