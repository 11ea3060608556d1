"""Simple policies that need no model: floors to compare models against."""
