"""Cells of a file staff open in a spreadsheet: what Evac writes there must read as text.

A spreadsheet runs a cell that starts with one of FORMULA_TRIGGERS as a formula (CSV
injection): a name typed on the portal or a row of an imported list could otherwise fetch a
link or run a command on the computer of whoever opens the manifest or the error file.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: str) -> str:
    """Make a cell read as text in a spreadsheet: a leading quote disarms a formula."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value
