"""Bare Django, the anchor of bench/public_load.py (a folder: bench/run.py does not run it)."""
