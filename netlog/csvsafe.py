"""CSV cells that a spreadsheet will not run: a cell starting with =, +, -, @, a tab or
a carriage return is a formula to Excel and LibreOffice (CSV injection), so it gets a
leading apostrophe, which they show as text. Reading such a file back (an import),
`read_cell` takes the apostrophe off again."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list) -> list:
    return [safe_cell(value) for value in values]


def read_cell(value: str) -> str:
    """A cell as it was before safe_cell: "'+44 20 7946 0958" is "+44 20 7946 0958"."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value
