"""Versioned prompt text for Qwen-VL agents, shipped as package data (YAML files)."""
