"""Offline first, model where needed: the hybrid policy (:mod:`screenpilot.model.hybrid.policy`)."""
