"""Text for the one-line values of the vCard and iCalendar files: both escape a line
break as \\n, and a reader splits lines on whatever it takes for a line break, so a
name must reach them with no other kind of line break in it (a reader that split on
U+2028 would otherwise see a property the writer never wrote)."""

import re

# Every line break that str.splitlines() knows, as one.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# The other control characters but tab: neither format allows them in text (RFC 5545
# 3.3.11, RFC 6350 3.3), and they mean nothing in a name.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def plain_text(value: str) -> str:
    """`value` with every line break as \\n and no other control character but tab."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", value))
