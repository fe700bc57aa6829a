"""Sync with the office server: the worker, the status bar, login and the changes the server
refused."""
