"""derivcheck's engine: decide claimed formulas (prove, refute, or name a condition)."""

__version__ = "0.1.0"
