"""Setting the app up: the first-run dialog and the settings dialog."""
