"""Text made safe for where it is shown: a terminal, an HTML page, a spreadsheet cell.

Why: a plan's text and a file's name come from outside. Shown raw, a file name holding a
line break forges an error line on stderr and one holding ``ESC [`` drives the terminal; a
right-to-left override (U+202E) in a title makes a page display it reversed; a CSV cell
starting with ``=`` is run as a formula by spreadsheet programs (issue 13). The stored data
(JSON, RDF, the text files offsets point into) keep every character; only these views
neutralise them.
"""

from __future__ import annotations

import re

__all__ = ["for_terminal", "for_display", "csv_cell", "CSV_FORMULA_START"]

#: Characters that change the direction text is displayed in (Unicode bidi controls).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Control characters (C0 but tab, DEL, C1), bidi controls and line/paragraph separators.
_TERMINAL = re.compile(f"[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f{_BIDI}\\u2028\\u2029]")
#: The same for a page, where line breaks and separators are just white space.
_DISPLAY = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]")
#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection").
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(line: str) -> str:
    """``line`` with every control, bidi or separator character written as an escape
    (``\\n``, ``\\x1b``, ``\\u202e``), so it prints as one line that does what it says."""
    return _TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), line)


def for_display(text: str) -> str:
    """``text`` with control and bidi characters replaced by U+FFFD for an HTML page."""
    return _DISPLAY.sub("\ufffd", text)


def csv_cell(value, quote_escape: bool = False):
    """A CSV cell that no spreadsheet runs: a string starting with ``= + - @`` (or tab, CR)
    gets a leading ``'``. With ``quote_escape``, one starting with ``'`` gets one too, so a
    reader that strips one leading ``'`` (the Neo4j import script) gets every value back."""
    if isinstance(value, str) and value.startswith(
        CSV_FORMULA_START + (("'",) if quote_escape else ())
    ):
        return "'" + value
    return value
