"""Reading ids from query strings, where anything can arrive."""

MAX_ID = 2**63 - 1  # the largest BigAutoField value


def parse_id(raw: str | None) -> int | None:
    """A row id from user input, or None for anything that is not one ('', 'abc', '²',
    '-1', 10**30): callers treat None as "not given" rather than failing."""
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
