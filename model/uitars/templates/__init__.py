"""UI-TARS prompt text, shipped as package data (YAML)."""
