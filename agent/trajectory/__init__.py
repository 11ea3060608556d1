"""Trajectories: what a run saw and did, on disk."""

from screenpilot.agent.trajectory.reader import Trajectory, load_run, read_events
from screenpilot.agent.trajectory.recorder import TrajectoryRecorder, atomic_write_json

__all__ = ["Trajectory", "TrajectoryRecorder", "atomic_write_json", "load_run", "read_events"]
