"""Cells of a file staff open in a spreadsheet: what Evac writes there must read as text.

A spreadsheet runs a cell that starts with one of FORMULA_SIGNS as a formula (CSV
injection): a name typed on the portal or a row of an imported list could otherwise fetch a
link or run a command on the computer of whoever opens the manifest or the error file.

Not only at the start of what Evac wrote as one cell. Excel splits a CSV at the list
separator of the computer's locale ("," or ";", whatever the file was written with), a
text reader may split at tabs, and a reader that loses track of quotes at line breaks: so
`x;=cmd|…` is a cell "=cmd|…" in Kyiv. Following OWASP's guidance, wherever such a cell
could start (CELL_BREAKS) and a formula sign follows, behind any spaces or quotes a lenient
reader drops, an apostrophe goes in first: the spreadsheet reads the rest as text. A cell
that starts with a tab or a line break is defused too, as OWASP lists them.
"""

import re

FORMULA_SIGNS = "=+-@"
# Where a spreadsheet or a text reader may start a new cell or row inside one of ours.
CELL_BREAKS = ",;\t\r\n"

# At the start: a formula sign, behind any spaces or quotes, or a tab or a line break.
_RUNS_AT_START = re.compile(rf'[\t\r\n]|[\s"]*[{re.escape(FORMULA_SIGNS)}]')
# Just after a break, before a formula sign behind any spaces or quotes.
_RUNS_AFTER_BREAK = re.compile(
    rf'(?<=[{re.escape(CELL_BREAKS)}])(?=[\s"]*[{re.escape(FORMULA_SIGNS)}])'
)


def defuse(value: str) -> str:
    """Make a cell read as text in a spreadsheet however it is split: an apostrophe before
    every place a formula could start. Cells with none ("KOVAL", "Abaya 12-14") are kept
    as they are."""
    value = _RUNS_AFTER_BREAK.sub("'", value)
    return f"'{value}" if _RUNS_AT_START.match(value) else value
