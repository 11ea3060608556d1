"""Grounding evaluation in the ScreenSpot layouts, and a generator of samples in that layout."""
