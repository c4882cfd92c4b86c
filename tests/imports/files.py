"""Import files as people actually upload them, built as bytes by the tests (nothing
binary is committed): LinkedIn's Connections.csv in the shapes seen in the wild, phone
and address-book vCards, another CSV, and the files that must be refused."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Literal, TextIO

# Connections.csv

LINKEDIN_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
# Close to LinkedIn's own note: quoted, one paragraph, commas and URLs in it.
LINKEDIN_NOTES = (
    "When exporting your connection data, you may notice that some of the email "
    "addresses are missing. You will only see email addresses for connections who have "
    "allowed their connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261"
)
Preamble = Literal["quoted", "unquoted"] | None
# The line of the header after each preamble: "Notes:", the paragraph, a blank line.
HEADER_LINE = {"quoted": 4, "unquoted": 4, None: 1}


def connection(
    first: str,
    last: str,
    *,
    url: str = "",
    email: str = "",
    company: str = "",
    position: str = "",
    connected_on: str = "12 Mar 2024",
) -> list[str]:
    """One row of Connections.csv, in LinkedIn's column order."""
    return [first, last, url, email, company, position, connected_on]


def write_linkedin_csv(
    out: TextIO,
    rows: Iterable[Sequence[str]],
    *,
    preamble: Preamble = "unquoted",
    newline: str = "\r\n",
    trailing_blank_line: bool = False,
) -> None:
    """Write Connections.csv to `out`, taking rows one by one (a generator of 30,000
    rows is never turned into a list)."""
    if preamble is not None:
        notes = '"Notes:"' if preamble == "quoted" else "Notes:"
        out.write(f'{notes}{newline}"{LINKEDIN_NOTES}"{newline}{newline}')
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator=newline)
    writer.writerow(LINKEDIN_HEADER)
    writer.writerows(rows)
    if trailing_blank_line:
        out.write(newline)


def linkedin_csv(
    rows: Iterable[Sequence[str]],
    *,
    bom: bool = True,
    preamble: Preamble = "unquoted",
    newline: str = "\r\n",
    trailing_blank_line: bool = False,
) -> bytes:
    """Connections.csv as LinkedIn exports it by default: a byte-order mark, the
    "Notes:" preamble and CRLF line ends."""
    out = io.StringIO(newline="")
    write_linkedin_csv(
        out, rows, preamble=preamble, newline=newline, trailing_blank_line=trailing_blank_line
    )
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


# vCard


def fold(line: str, width: int = 75) -> list[str]:
    """RFC 6350 line folding: a long line continues on lines that start with a space.
    Counted in characters, not octets, so a multi-byte character is never split."""
    lines = [line[:width]]
    rest = line[width:]
    while rest:
        lines.append(" " + rest[: width - 1])
        rest = rest[width - 1 :]
    return lines


def card(*properties: str, version: str = "3.0") -> list[str]:
    """One card's lines; a property longer than 75 characters is folded."""
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    for prop in properties:
        lines += fold(prop)
    return [*lines, "END:VCARD"]


def vcf(*cards: list[str], newline: str = "\r\n", between: int = 0) -> bytes:
    """Cards one after another, with `between` blank lines between them."""
    lines: list[str] = []
    for n, lines_of_card in enumerate(cards):
        lines += [""] * (between if n else 0) + lines_of_card
    return "".join(line + newline for line in lines).encode()


LONG_LINKEDIN_URL = "https://www.linkedin.com/in/joanna-bloggs-ashworth-talent-partner-0a1b2c3d4e"


def address_book(version: str = "3.0", *, newline: str = "\r\n") -> bytes:
    """Four cards from a phone: several emails, phones and URLs with one preferred
    (3.0 TYPE=pref, 4.0 PREF=1), a LinkedIn URL after another URL and folded, escaped
    commas and semicolons, and N with an empty given, family or both. The preferred
    phone is the mobile, a tel: URI in 4.0. The cards start on lines 1, 16, 23 and 30
    in both versions."""
    v4 = version == "4.0"
    pref = "PREF=1" if v4 else "TYPE=pref"
    mobile = "VALUE=uri;TYPE=cell:tel:+44-7700-900123" if v4 else "TYPE=CELL:07700 900123"
    jo = card(
        "N:Bloggs;Jo;;Ms;",
        "FN:Jo Bloggs",
        "ORG:Smith\\, Jones\\; Partners LLP;Talent",
        "TITLE:Head of Talent\\, EMEA",
        "EMAIL;TYPE=HOME:jo@home.example",
        f"EMAIL;TYPE=WORK;{pref}:jo.bloggs@smithjones.example",
        "TEL;TYPE=WORK:+44 20 7946 0958",
        f"TEL;{pref};{mobile}",
        "URL:https://jo.example",
        # 84 characters: folded onto two lines
        f"URL;TYPE=work:{LONG_LINKEDIN_URL}",
        "NOTE:Met at the Leeds tech jobs fair\\; follow up in spring.",
        version=version,
    )
    nowak = card(
        "N:Nowak;;;;",
        "FN:Nowak",
        "EMAIL:l.nowak@example.pl",
        "ORG:Nowak Sp. z o.o.",
        version=version,
    )
    zoe = card(
        "N:;Zoë;;;", "FN:Zoë", "TEL:+44 113 496 0000", "URL:www.zoe.example", version=version
    )
    priya = card(
        "N:;;;;",
        "FN:Priya Shah",
        "URL:https://www.linkedin.com/in/priya-shah",
        "TITLE:Engineering Manager",
        version=version,
    )
    return vcf(jo, nowak, zoe, priya, newline=newline)


def broken_vcard(*, newline: str = "\r\n") -> bytes:
    """The second card is cut off: no END:VCARD (a truncated export or a bad copy)."""
    whole = card("N:Bloggs;Jo;;;", "FN:Jo Bloggs")
    cut = card("N:Nowak;Łukasz;;;", "FN:Łukasz Nowak", "EMAIL:l.nowak@example.pl")[:-1]
    return vcf(whole, cut, newline=newline)


# Another CSV

GENERIC_HEADER = ("Full Name", "E-mail", "Mobile", "Company", "Job Title")


def generic_csv(
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] = GENERIC_HEADER,
    newline: str = "\r\n",
    bom: bool = False,
) -> bytes:
    """A spreadsheet saved as CSV, with its own column names."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


# Files to refuse


def cp1252_csv() -> bytes:
    """Excel's plain "CSV" on Windows: Windows-1252, here from line 2 ('Café', smart
    quotes)."""
    text = (
        "Full Name,Company,Job Title\r\n"
        "Zoë Ashworth,Café \u201cNero\u201d Ltd,Barista\r\n"
        "Jo Bloggs,Acme,Engineer\r\n"
    )
    return text.encode("cp1252")


def xlsx_start() -> bytes:
    """The first bytes of an .xlsx (a zip) uploaded instead of its CSV."""
    return b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"


def empty_file() -> bytes:
    return b""
