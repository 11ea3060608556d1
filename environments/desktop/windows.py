"""Top-level windows on X11 through python-xlib: list, the active one, focus.

With a window manager the EWMH properties (``_NET_CLIENT_LIST``, ``_NET_ACTIVE_WINDOW``)
are used and focus is requested politely with a client message; on a bare X server (Xvfb
without a window manager) the mapped children of the root window are the top-level
windows and focus is set directly with ``XSetInputFocus``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.desktop.capture import NO_DISPLAY_HINT
from screenpilot.tools.errors import ConfigError, DriverError


class WindowInfo(BaseModel):
    """One top-level window.

    Attributes:
        id: X window id.
        title: ``_NET_WM_NAME`` or ``WM_NAME``.
        wm_class: The class part of ``WM_CLASS`` (the application).
        pid: ``_NET_WM_PID`` when the client sets it.
        x: Left edge in root coordinates.
        y: Top edge in root coordinates.
        width: Width in pixels.
        height: Height in pixels.
        transient_for: The window it is a dialog of (``WM_TRANSIENT_FOR``), if any.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    title: str = ""
    wm_class: str = ""
    pid: int | None = None
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    transient_for: int | None = None

    def contains(self, x: int, y: int) -> bool:
        """Whether the root-window point ``(x, y)`` lies inside the window."""
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height


def dialog_extra(windows: list[WindowInfo]) -> dict[str, str | int | float | bool]:
    """The topmost dialog window (one transient for another), as observation facts for popup
    handling: ``dialog_title`` and its box in screen pixels, ``dialog_x`` .. ``dialog_h``."""
    dialogs = [w for w in windows if w.transient_for]
    if not dialogs:
        return {}
    d = dialogs[-1]
    return {
        "dialog_title": d.title,
        "dialog_x": d.x,
        "dialog_y": d.y,
        "dialog_w": d.width,
        "dialog_h": d.height,
    }


def toplevel_of(window: Any, root: int) -> Any:
    """The child of the root window ``root`` that contains ``window`` (``None`` for
    PointerRoot, None, the root itself or a window that is gone)."""
    from Xlib.error import XError

    if not hasattr(window, "query_tree"):
        return None
    current = window
    try:
        while True:
            parent = current.query_tree().parent
            # python-xlib gives the int 0 (None) for the root's parent.
            if not hasattr(parent, "id") or parent.id == root:
                return current if current.id != root else None
            current = parent
    except XError:
        return None


class X11Windows:
    """Window queries on their own X connection (used from the environment's thread)."""

    def __init__(self, display: str | None) -> None:
        from Xlib.display import Display
        from Xlib.error import DisplayError

        try:
            self.display: Any = Display(display)
        except DisplayError as e:
            raise ConfigError(f"cannot open display {display!r}: {e}{NO_DISPLAY_HINT}") from e
        self.root = self.display.screen().root
        self._atoms: dict[str, int] = {}

    def atom(self, name: str) -> int:
        if name not in self._atoms:
            self._atoms[name] = self.display.intern_atom(name)
        return self._atoms[name]

    def _prop(self, window: Any, name: str, kind: int = 0) -> Any:
        from Xlib.error import XError

        try:
            prop = window.get_full_property(self.atom(name), kind)
        except XError:  # the window vanished between listing and reading
            return None
        return None if prop is None else prop.value

    def has_wm(self) -> bool:
        """Whether an EWMH window manager is running."""
        return self._prop(self.root, "_NET_SUPPORTING_WM_CHECK") is not None

    def list(self) -> list[WindowInfo]:
        """Top-level application windows, bottom to top."""
        ids = self._prop(self.root, "_NET_CLIENT_LIST")
        windows = [self.display.create_resource_object("window", i) for i in ids] if ids is not None else None
        if windows is None:
            windows = [w for w in self.root.query_tree().children if self._mapped(w)]
        out = [self.info(w) for w in windows]
        return [w for w in out if w.title or w.wm_class]

    def active(self) -> WindowInfo | None:
        """The window with the keyboard focus (or the WM's active window)."""
        window = self._active_window()
        return None if window is None else self.info(window)

    def state(self) -> tuple[tuple[WindowInfo, ...], WindowInfo | None]:
        """:meth:`list` and :meth:`active` in one go: the active window's properties are
        read once, from the list when it is in it."""
        windows = tuple(self.list())
        window = self._active_window()
        if window is None:
            return windows, None
        listed = next((w for w in windows if w.id == window.id), None)
        return windows, listed if listed is not None else self.info(window)

    def _active_window(self) -> Any:
        ids = self._prop(self.root, "_NET_ACTIVE_WINDOW")
        if ids is not None and len(ids) and ids[0]:
            return self.display.create_resource_object("window", ids[0])
        from Xlib import X

        focus = self.display.get_input_focus().focus
        if focus == X.PointerRoot:
            # Without a window manager the keyboard follows the pointer: the window under
            # it is the one that receives typing.
            focus = self.root.query_pointer().child
        return self._toplevel(focus)

    def find(self, query: str) -> WindowInfo:
        """The topmost window whose title or class contains ``query`` (case-insensitive).

        Raises:
            DriverError: When no window matches; the message lists the open windows.
        """
        wanted = query.casefold()
        windows = self.list()
        for w in reversed(windows):
            if wanted in w.title.casefold() or wanted in w.wm_class.casefold():
                return w
        titles = ", ".join(repr(w.title) for w in windows) or "none"
        raise DriverError(f"no window matches {query!r}; open windows: {titles}")

    def focus(self, window_id: int) -> None:
        """Raise a window and give it the keyboard focus."""
        from Xlib import X, protocol

        window = self.display.create_resource_object("window", window_id)
        if self.has_wm():
            event = protocol.event.ClientMessage(
                window=window,
                client_type=self.atom("_NET_ACTIVE_WINDOW"),
                data=(32, [2, X.CurrentTime, 0, 0, 0]),  # source 2: a pager, which WMs obey
            )
            mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
            self.root.send_event(event, event_mask=mask)
        else:
            window.configure(stack_mode=X.Above)
            window.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.display.sync()

    def info(self, window: Any) -> WindowInfo:
        name = self._prop(window, "_NET_WM_NAME", self.atom("UTF8_STRING"))
        if name is None:
            name = self._prop(window, "WM_NAME")
        title = name.decode("utf-8", "replace") if isinstance(name, bytes) else (name or "")
        cls = self._prop(window, "WM_CLASS")
        wm_class = ""
        if cls is not None:
            raw = cls.decode("latin-1") if isinstance(cls, bytes) else str(cls)
            parts = [p for p in raw.split("\0") if p]
            wm_class = parts[-1] if parts else ""
        pid = self._prop(window, "_NET_WM_PID")
        owner = self._prop(window, "WM_TRANSIENT_FOR")
        x = y = width = height = 0
        geometry = self._geometry(window)
        if geometry is not None:
            x, y, width, height = geometry
        return WindowInfo(
            id=window.id,
            title=title,
            wm_class=wm_class,
            pid=int(pid[0]) if pid is not None and len(pid) else None,
            x=x,
            y=y,
            width=width,
            height=height,
            transient_for=int(owner[0]) if owner is not None and len(owner) and owner[0] else None,
        )

    def _geometry(self, window: Any) -> tuple[int, int, int, int] | None:
        from Xlib.error import XError

        try:
            g = window.get_geometry()
            pos = window.translate_coords(self.root, 0, 0)
        except XError:
            return None
        return -pos.x, -pos.y, g.width, g.height

    def _mapped(self, window: Any) -> bool:
        from Xlib import X
        from Xlib.error import XError

        try:
            attrs = window.get_attributes()
        except XError:
            return False
        return bool(attrs.map_state == X.IsViewable and not attrs.override_redirect)

    def _toplevel(self, window: Any) -> Any:
        return toplevel_of(window, self.root.id)

    def close(self) -> None:
        self.display.close()
