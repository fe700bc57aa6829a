"""Domain errors: what went wrong in words a person can act on.

Every error the store or the importer raises on purpose derives from FieldAppError, so the
CLI and the GUI can show its message instead of a traceback.
"""


class FieldAppError(Exception):
    """Base of all deliberate errors; ``str(err)`` is meant for a person."""


class NotFoundError(FieldAppError):
    """A record that was asked for does not exist (or is deleted)."""


class ImmutableRecordError(FieldAppError):
    """A finalized (signed) record, or a published template version, cannot change."""


class ValidationError(FieldAppError):
    """Input that breaks a rule; ``problems`` lists every problem found, not just the first."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class SchemaTooNewError(FieldAppError):
    """The database was written by a newer FieldApp than this one."""
