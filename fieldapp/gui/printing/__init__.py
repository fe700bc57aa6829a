"""The printed form: PDF export and the print preview."""
