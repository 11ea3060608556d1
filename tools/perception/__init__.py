"""Perception tools: OCR, element matching and image templates, each returning candidates."""

from screenpilot.tools.perception.candidate import Candidate, CandidateSource

__all__ = ["Candidate", "CandidateSource"]
