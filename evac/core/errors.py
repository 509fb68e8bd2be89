"""Errors that services raise when a rule says no.

Views turn them into a message on the page; the API turns `Conflict` into 409. Field-level
problems use Django's ValidationError instead, so forms can show them beside the field.
"""


class EvacError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class Conflict(EvacError):
    """The request is well formed but the current state forbids it (flight full, already booked)."""


class InvalidTransition(Conflict):
    """A status change that the status rules don't allow."""
