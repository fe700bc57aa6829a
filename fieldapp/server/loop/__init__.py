"""The office's loop around inspections (docs/office-loop.md): settings, planned work,
review, corrective orders, complaints and the monthly report, on the server database.

Each module holds the office's actions on one kind of row; they change synced rows only
through ``office.write_fields`` (the push rules, one change sequence) and leave permission
checks by role and province to their caller (the console's ``@page``), except where a rule
belongs to the data (an inspector must hold the factory's province to be assigned to it).
"""
