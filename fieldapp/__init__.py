"""FieldApp: factory inspections for Thai provincial industry offices."""

__version__ = "0.1.0"
