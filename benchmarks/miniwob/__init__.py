"""MiniWoB++ from the ``miniwob`` package: its task pages, served locally, driven in a browser."""
