"""The main window: the factory table and search, the session that opens and swaps the
database, data care and the registry import it offers."""
