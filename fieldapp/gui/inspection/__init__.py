"""The inspection editor (checklist, findings, photos, scans) and the dialog that starts an
inspection."""
