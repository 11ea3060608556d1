"""Pages bundled with screenpilot for ``screenpilot demo`` (served from 127.0.0.1, no network)."""
