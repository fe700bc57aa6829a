"""Compiled Designer layouts (see fieldapp/gui/ui_compile.py)."""
