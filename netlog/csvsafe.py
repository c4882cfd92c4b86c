"""CSV that a spreadsheet will not run (CSV or formula injection). Every CSV netlog
writes goes through `SafeWriter` (a test keeps it the only CSV writer in the app).

Excel, LibreOffice and Google Sheets run a cell that starts with =, +, - or @ as a
formula; OWASP adds tab and carriage return, and ASVS 5.0 (1.2.10) NUL. Such a cell
gets a leading apostrophe, which spreadsheets take as "this is text" and do not show.
Beyond that first character, the tricks that slip past a plain check are covered too:

- white space, control or invisible characters before the formula (" =1+1",
  "\\n=1+1", "\\u200b=1+1"), which an import may trim ("Trim spaces" in LibreOffice);
- the full-width and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) that a spreadsheet may read
  as the plain ones;
- a formula after a semicolon or a tab inside the text ("Acme;=1+1"): a spreadsheet
  that splits on those (the semicolon is the list separator in much of Europe) starts
  a new cell there, so the apostrophe goes after the separator (where a spreadsheet
  splitting on commas shows it: the price, on rare text, of being safe in both).

Commas, double quotes and line breaks cannot start a cell or a row: the csv module
quotes the cell and doubles its quotes (RFC 4180, 2.6 and 2.7).

Importing netlog's own file, `read_cell` takes the apostrophes off again, exactly: an
apostrophe the text already had where one would be added gets one more, so whatever
`safe_cell` writes, `read_cell` gives back as it was."""

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, Protocol

# What starts a formula, with the full-width and small forms.
_FORMULA = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")
# What starts a cell as a formula however little follows (OWASP, and ASVS's NUL).
_OWASP_STARTS = ("\t", "\r", "\x00")
_SEPARATOR = re.compile("([;\t])")


def _hidden(char: str) -> bool:
    """White space, a control or invisible character, or an apostrophe (so that one the
    text already had gets one more, and reads back)."""
    return char == "'" or char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def _formula(text: str) -> bool:
    """Whether `text` starts with a formula character, whatever is hidden before it."""
    for char in text:
        if not _hidden(char):
            return char in _FORMULA
    return False


def _cell_formula(text: str) -> bool:
    """Whether a whole cell starts as a formula: as a part does, or by OWASP's list."""
    return _formula(text) or text.lstrip("'").startswith(_OWASP_STARTS)


def _after_separators(value: str, change: Callable[[str], str]) -> str:
    """`value` with `change` made to each part that follows a semicolon or a tab."""
    parts = _SEPARATOR.split(value)
    for n in range(2, len(parts), 2):
        parts[n] = change(parts[n])
    return "".join(parts)


def _quote(part: str) -> str:
    return "'" + part if _formula(part) else part


def _unquote(part: str) -> str:
    return part[1:] if part.startswith("'") and _formula(part[1:]) else part


def safe_cell(value):
    """`value` as text a spreadsheet shows rather than runs; anything not a string
    (a number, None) as it is."""
    if not isinstance(value, str):
        return value
    value = _after_separators(value, _quote)
    return "'" + value if _cell_formula(value) else value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def read_cell(value: str) -> str:
    """A cell as it was before safe_cell: "'+44 20 7946 0958" is "+44 20 7946 0958"."""
    if value.startswith("'") and _cell_formula(value[1:]):
        value = value[1:]
    return _after_separators(value, _unquote)


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """csv.writer (RFC 4180 quoting, CRLF line ends) that makes every cell safe first."""

    def __init__(self, file: _Writable) -> None:
        self._writer = csv.writer(file, lineterminator="\r\n")

    def writerow(self, row: Iterable) -> Any:
        """What the file's write returned, as csv.writer does (streaming uses it)."""
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)
