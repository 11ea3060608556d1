"""A small Tk application the desktop tests drive through real X input.

It writes its whole state (widget values, widget boxes in root-window coordinates, the
open dialog, the last key chord, the context-menu choice) as JSON to ``--state`` after
every change, so tests assert ground truth instead of trusting the driver.

A notice dialog pops up once, after a seeded random number of clicks, to exercise
dialog handling: ``--popup-after`` picks the range of clicks it waits for. With
``--rate-prompt`` a modal "Rate this app" dialog (transient for the main window, holding
the input grab) opens right after start, as app-rating prompts do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tkinter as tk
from pathlib import Path
from typing import Any

PULSES = 19
"""Repaints of the pulse label after its button is clicked."""


class App:
    """The application; every handler ends by scheduling a state write."""

    def __init__(
        self,
        root: tk.Tk,
        state_path: Path,
        seed: int,
        popup_range: tuple[int, int],
        title: str,
        animate: bool,
        rate_prompt: bool = False,
        pulse: bool = False,
    ) -> None:
        self.root = root
        self.title = title
        self.animate = animate
        self.pulse = pulse
        self.pulses = 0
        self.state_path = state_path
        rng = random.Random(seed)
        self.popup_at = rng.randint(*popup_range) if popup_range[1] > 0 else -1
        self.clicks = 0
        self.submits: list[dict[str, Any]] = []
        self.chords: list[str] = []
        self.menu_choice = ""
        self.dialog: tk.Toplevel | None = None
        self.dialogs_closed = 0
        self.rate: tk.Toplevel | None = None
        self.rated = False
        self._pending = False
        self._build()
        if rate_prompt:
            root.after(300, self._rate_prompt)

    def _build(self) -> None:
        root = self.root
        root.title(self.title)
        root.geometry("760x560+20+20")
        self.name = tk.Entry(root, width=30, font=("Noto Sans CJK SC", 14))
        self.city = tk.Entry(root, width=30, font=("Noto Sans CJK SC", 14))
        self.subscribe = tk.BooleanVar(value=False)
        self.check = tk.Checkbutton(root, text="Subscribe", variable=self.subscribe, command=self.changed)
        self.level = tk.IntVar(value=0)
        self.slider = tk.Scale(
            root, from_=0, to=100, orient="horizontal", length=400, variable=self.level, command=self._slid
        )
        self.submit = tk.Button(root, text="Submit", command=self._submit, width=10)
        self.target = tk.Label(root, text="Right-click me", relief="ridge", width=20, height=2)
        self.listbox = tk.Listbox(root, height=6, width=20, selectmode="extended", exportselection=False)
        for i in range(60):
            self.listbox.insert("end", f"item {i}")
        tk.Label(root, text="Name").place(x=20, y=20)
        self.name.place(x=100, y=20)
        tk.Label(root, text="City").place(x=20, y=70)
        self.city.place(x=100, y=70)
        self.check.place(x=100, y=120)
        self.slider.place(x=100, y=160)
        self.submit.place(x=100, y=240)
        self.target.place(x=300, y=240)
        self.listbox.place(x=100, y=300)
        self.menu = tk.Menu(root, tearoff=0)
        for label in ("Copy", "Paste", "Mark done"):
            self.menu.add_command(label=label, command=lambda v=label: self._menu(v))
        self.target.bind("<Button-3>", self._popup_menu)
        root.bind_all("<ButtonRelease-1>", self._clicked, add="+")
        root.bind_all("<Control-s>", lambda e: self._chord("ctrl+s"))
        root.bind_all("<Control-Shift-K>", lambda e: self._chord("ctrl+shift+k"))
        root.bind_all("<Alt-x>", lambda e: self._chord("alt+x"))
        root.bind_all("<Escape>", lambda e: self._chord("escape"))
        for widget in (self.name, self.city):
            widget.bind("<KeyRelease>", lambda e: self.changed(), add="+")
            widget.bind("<ButtonRelease-1>", lambda e: self.changed(), add="+")
            widget.bind("<FocusIn>", lambda e: self.changed(), add="+")
        self.listbox.bind("<<ListboxSelect>>", lambda e: self.changed())

        # Scrolling changes no variable; poll the view so wheel events show up in the state.
        self._last_view = self.listbox.yview()
        root.after(50, self._poll_view)
        root.after(200, self.changed)
        if self.animate:
            # A label that changes every frame: the screen never settles.
            self.blink = tk.Label(root, text="busy", width=30, height=4, background="black")
            self.blink.place(x=450, y=300)
            root.after(20, self._tick, 0)
        if self.pulse:
            # A button whose click repaints a big label every 8 ms for about 150 ms, then stops.
            self.pulse_button = tk.Button(root, text="Pulse", command=self._start_pulse, width=10)
            self.pulse_button.place(x=450, y=430)
            self.pulse_label = tk.Label(root, text="pulse", width=30, height=3, background="white")
            self.pulse_label.place(x=450, y=470)

    def _start_pulse(self) -> None:
        self.pulses = 0
        self._pulse()

    def _pulse(self) -> None:
        # Levels only grow, 12 apart: any two frames of the pulse differ.
        self.pulses += 1
        level = 12 * self.pulses
        self.pulse_label.configure(background=f"#{level:02x}{level:02x}{level:02x}")
        if self.pulses < PULSES:
            self.root.after(8, self._pulse)
        else:
            self.changed()

    def _tick(self, n: int) -> None:
        # A new grey level every tick (steps of 37 never come back close within a few ticks),
        # so any two frames a settle-wait compares differ.
        level = (n * 37) % 256
        self.blink.configure(background=f"#{level:02x}{level:02x}{level:02x}")
        self.root.after(20, self._tick, n + 1)

    def _popup_menu(self, event: tk.Event) -> None:  # type: ignore[type-arg]
        self.menu.tk_popup(event.x_root, event.y_root)
        self.root.after(150, self.changed)

    def _poll_view(self) -> None:
        if self.listbox.yview() != self._last_view:
            self._last_view = self.listbox.yview()
            self.changed()
        self.root.after(50, self._poll_view)

    def _slid(self, _value: str) -> None:
        self.changed()

    def _submit(self) -> None:
        self.submits.append(
            {
                "name": self.name.get(),
                "city": self.city.get(),
                "subscribe": self.subscribe.get(),
                "level": self.level.get(),
            }
        )
        self.changed()

    def _menu(self, label: str) -> None:
        self.menu_choice = label
        self.changed()

    def _chord(self, chord: str) -> str:
        self.chords.append(chord)
        self.changed()
        return "break"

    def _clicked(self, _event: tk.Event) -> None:  # type: ignore[type-arg]
        self.clicks += 1
        if self.clicks == self.popup_at and self.dialog is None:
            # Right after the click is handled, so that a settled screen already shows it.
            self.root.after_idle(self._popup)
        self.changed()

    def _popup(self) -> None:
        d = tk.Toplevel(self.root)
        d.title("Notice")
        d.geometry("260x120+270+200")
        tk.Label(d, text="Updates are available.").pack(pady=12)
        tk.Button(d, text="OK", width=8, command=self._close_dialog).pack()
        self.dialog = d
        self.changed()

    def _rate_prompt(self) -> None:
        d = tk.Toplevel(self.root)
        d.title("Rate this app")
        d.geometry("420x150+300+220")
        d.transient(self.root)
        tk.Label(d, text="Enjoying the app? Please rate it.", font=("DejaVu Sans", 13)).pack(pady=14)
        row = tk.Frame(d)
        row.pack()
        tk.Button(row, text="Rate now", width=9, command=lambda: self._close_rate(True)).pack(
            side="left", padx=40
        )
        tk.Button(row, text="Not now", width=9, command=lambda: self._close_rate(False)).pack(
            side="left", padx=40
        )
        d.wait_visibility()
        d.grab_set()  # modal: the main window ignores the pointer until it is answered
        self.rate = d
        self.changed()

    def _close_rate(self, rated: bool) -> None:
        if self.rate is not None:
            self.rate.grab_release()
            self.rate.destroy()
            self.rate = None
            self.rated = rated
        self.changed()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.destroy()
            self.dialog = None
            self.dialogs_closed += 1
        self.changed()

    def changed(self) -> None:
        """Write the state once the event loop is idle (widgets have their new geometry)."""
        if not self._pending:
            self._pending = True
            self.root.after_idle(self._write)

    def _box(self, w: tk.Misc) -> dict[str, int]:
        return {"x": w.winfo_rootx(), "y": w.winfo_rooty(), "w": w.winfo_width(), "h": w.winfo_height()}

    def _write(self) -> None:
        self._pending = False
        self.root.update_idletasks()
        focus = self.root.focus_get()
        boxes = {
            n: self._box(w)
            for n, w in {
                "name": self.name,
                "city": self.city,
                "check": self.check,
                "slider": self.slider,
                "submit": self.submit,
                "target": self.target,
                "listbox": self.listbox,
                **({"pulse": self.pulse_button} if self.pulse else {}),
            }.items()
        }
        dialog = None
        if self.dialog is not None and self.dialog.winfo_ismapped():
            ok = self.dialog.winfo_children()[-1]
            dialog = {"box": self._box(self.dialog), "ok": self._box(ok)}
        menu = None
        if self.menu.winfo_ismapped():
            mx, my = self.menu.winfo_rootx(), self.menu.winfo_rooty()
            menu = {
                self.menu.entrycget(i, "label"): {
                    "x": mx + self.menu.winfo_width() // 2,
                    "y": my + self.menu.yposition(i) + 8,
                }
                for i in range(3)
            }
        state = {
            "menu": menu,
            "pid": os.getpid(),
            "name": self.name.get(),
            "name_selection": (
                [self.name.index("sel.first"), self.name.index("sel.last")]
                if self.name.selection_present()
                else None
            ),
            "city": self.city.get(),
            "subscribe": self.subscribe.get(),
            "level": self.level.get(),
            "slider_coords": list(self.slider.coords(0)) + list(self.slider.coords(100)),
            "submits": self.submits,
            "chords": self.chords,
            "menu_choice": self.menu_choice,
            "list_top": self.listbox.nearest(0),
            "list_selection": [int(i) for i in self.listbox.curselection()],
            "list_rows": [list(self.listbox.bbox(i) or ()) for i in range(10)],
            "clicks": self.clicks,
            "popup_at": self.popup_at,
            "dialog": dialog,
            "dialogs_closed": self.dialogs_closed,
            "rate_prompt": self._box(self.rate)
            if self.rate is not None and self.rate.winfo_ismapped()
            else None,
            "rated": self.rated,
            "focus": str(focus) if focus is not None else None,
            "focus_is": next((n for n, w in (("name", self.name), ("city", self.city)) if w is focus), None),
            "boxes": boxes,
            "pulses": self.pulses,
        }
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.state_path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--popup-after", type=int, nargs=2, default=(0, 0), metavar=("MIN", "MAX"))
    parser.add_argument("--title", default="Screenpilot Tk test app")
    parser.add_argument("--animate", action="store_true")
    parser.add_argument("--rate-prompt", action="store_true")
    parser.add_argument("--pulse", action="store_true")
    args = parser.parse_args()
    root = tk.Tk()
    App(
        root,
        args.state,
        args.seed,
        tuple(args.popup_after),
        args.title,
        args.animate,
        args.rate_prompt,
        args.pulse,
    )
    root.mainloop()


if __name__ == "__main__":
    main()
