"""What a spreadsheet might run, read for the tests without netlog.csvsafe: a cell
that starts with a tab, CR or NUL (OWASP, ASVS), or whose text, or any part of it
after a semicolon or tab (where a spreadsheet that splits on those starts a new cell),
starts with a formula character once the white space, control and invisible
characters before it are left out. An apostrophe before the formula makes it text."""

import re
import unicodedata

FORMULA = "=+-@＝＋－＠﹦﹢﹣﹫"


def _starts_formula(text: str) -> bool:
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf")):
            return char in FORMULA
    return False


def would_run(cell: str) -> bool:
    if cell.startswith(("\t", "\r", "\x00")):
        return True
    parts = re.split("[;\t]", cell)
    return _starts_formula(cell) or any(_starts_formula(part) for part in parts[1:])
