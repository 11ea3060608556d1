"""The calibration window: markers at known positions, every click recorded.

Run by :mod:`screenpilot.environments.desktop.calibration` as a separate process (Tk must own its
own thread and X connection). It covers the given rectangle, draws red markers, writes
the markers' root-window coordinates to ``--ready`` once mapped, and appends the root
coordinates of each button press to ``--clicks`` (one JSON object per line).
"""

from __future__ import annotations

import argparse
import json
import tkinter as tk
from pathlib import Path

MARKER_RADIUS = 6
MARKER_COLOR = "#ff0000"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rect", required=True, help="WIDTHxHEIGHT+X+Y in input units")
    parser.add_argument("--markers", required=True, help="x,y;x,y;... as fractions of the window")
    parser.add_argument("--ready", type=Path, required=True)
    parser.add_argument("--clicks", type=Path, required=True)
    args = parser.parse_args()
    fractions = [tuple(float(v) for v in m.split(",")) for m in args.markers.split(";")]
    root = tk.Tk()
    root.title("screenpilot calibration")
    root.geometry(args.rect)
    root.configure(background="white")
    canvas = tk.Canvas(root, background="white", highlightthickness=0)
    canvas.pack(fill="both", expand=True)

    def place() -> None:
        root.update_idletasks()
        w, h = canvas.winfo_width(), canvas.winfo_height()
        ox, oy = canvas.winfo_rootx(), canvas.winfo_rooty()
        points = []
        for fx, fy in fractions:
            cx, cy = round(fx * w), round(fy * h)
            r = MARKER_RADIUS
            canvas.create_oval(cx - r, cy - r, cx + r, cy + r, fill=MARKER_COLOR, outline=MARKER_COLOR)
            points.append({"x": ox + cx, "y": oy + cy})
        root.update_idletasks()
        args.ready.write_text(json.dumps({"markers": points}), encoding="utf-8")

    def clicked(event: tk.Event) -> None:
        with args.clicks.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"x": event.x_root, "y": event.y_root}) + "\n")

    canvas.bind("<ButtonPress-1>", clicked)
    root.after(300, place)
    root.mainloop()


if __name__ == "__main__":
    main()
