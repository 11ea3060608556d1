"""Run reports: self-contained HTML pages for one episode or a whole benchmark.

``render_episode`` turns a run directory into one HTML page (screenshots embedded, action
points drawn over them); ``render_summary`` turns a list of run directories into a summary
page with per-task tables and charts that links to each episode's page.
"""

from screenpilot.app.report.action_marks import Mark, action_marks, target_marks
from screenpilot.app.report.episode import render_episode, write_episode_report
from screenpilot.app.report.summary import render_summary, write_benchmark_report

__all__ = [
    "Mark",
    "action_marks",
    "render_episode",
    "render_summary",
    "target_marks",
    "write_benchmark_report",
    "write_episode_report",
]
