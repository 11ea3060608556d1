"""Runs as video: an MP4 of a run's screens with captions, a WebVTT track of its thoughts,
and the timeline that maps video time back to steps."""
