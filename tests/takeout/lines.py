"""The lines of a vCard or iCalendar file, checked as RFC 6350 3.2 and RFC 5545 3.1
have them written: no line break but CRLF, no control character but tab, at most 75
octets a line, a longer one folded onto lines that start with a space."""

import re

# Every line break str.splitlines() knows: a reader may split a line on any of them.
LINE_BREAKS = [
    "\r\n",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]


def unfolded(body: str) -> list[str]:
    """The file's lines, unfolded, once checked."""
    written = body.split("\r\n")
    assert written.pop() == ""
    assert body.splitlines() == written
    assert not re.search("[\x00-\x08\x0e-\x1f\x7f-\x9f]", body)
    assert all(len(line.encode()) <= 75 for line in written)
    return "\r\n".join(written).replace("\r\n ", "").split("\r\n")
