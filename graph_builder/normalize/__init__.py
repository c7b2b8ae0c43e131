"""Normalize: link surface forms to concepts (agency functions, places, numbers)."""
