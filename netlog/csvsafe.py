"""CSV cells that a spreadsheet will not run: a cell starting with =, +, -, @, a tab or
a carriage return is a formula to Excel and LibreOffice (CSV injection), so it gets a
leading apostrophe, which they show as text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list) -> list:
    return [safe_cell(value) for value in values]
