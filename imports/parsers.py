"""Reading contacts out of what people actually have: LinkedIn's Connections.csv, a
phone's vCards, or any CSV with its columns mapped. Each reader yields Rows one by one
(the file is never turned into a list) and raises ImportFileError with a message for
the user when the file as a whole cannot be read."""

import codecs
import csv
import datetime
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

import vobject

from netlog.csvsafe import read_cell

EMPTY = "The file is empty."


class ImportFileError(Exception):
    """The file cannot be imported; the message says why, for the person uploading."""


@dataclass
class Row:
    line: int  # where the person is in the file: the CSV row or the card's first line
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    profile_url: str = ""
    organisation: str = ""
    role: str = ""
    connected_on: datetime.date | None = None
    notes: list[str] = field(default_factory=list)  # what the preview says of the row


# Text


BINARY_STARTS = {
    b"PK\x03\x04": "an Excel workbook or another zipped file",
    b"\xd0\xcf\x11\xe0": "an old Excel or Word file",
    b"%PDF": "a PDF",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
}


def decode(data: bytes) -> str:
    """The file as text: UTF-8, with or without a byte-order mark, or a clear refusal."""
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise ImportFileError(EMPTY)
    for start, what in BINARY_STARTS.items():
        if data.startswith(start):
            raise ImportFileError(
                f"This looks like {what}, not a CSV or vCard text file. "
                "Export or save it as CSV (UTF-8) or as a .vcf file and upload that."
            )
    if b"\x00" in data[:4096]:
        raise ImportFileError("This is not a text file. Upload a CSV or a .vcf file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (line {line} has a character in another encoding, "
            "such as Windows-1252 or Latin-1). Save it again as \u201cCSV UTF-8\u201d "
            "(in Excel: File, Save As, CSV UTF-8) and upload that."
        ) from None


# CSV


Text = str | TextIO  # a whole file as a string, or a stream of it read as it goes


def open_text(data: bytes) -> TextIO:
    """The file as a stream of text, decoded as it is read (`decode` checked it)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _stream(text: Text) -> TextIO:
    return io.StringIO(text, newline="") if isinstance(text, str) else text


def _rows(text: Text) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each CSV record, however its lines end."""
    reader = csv.reader(_stream(text))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV ({error}).") from None


def _clean(value: str) -> str:
    """One line, single spaces; a cell that netlog's own CSV export made formula-safe
    ("'+44 …") as it was."""
    return " ".join(read_cell(value.strip()).split())


def _header_key(cell: str) -> str:
    return re.sub(r"[^a-z]", "", cell.casefold())


LINKEDIN_COLUMNS = {
    "firstname": "first_name",
    "lastname": "last_name",
    "url": "profile_url",
    "emailaddress": "email",
    "company": "organisation",
    "position": "role",
    "connectedon": "connected_on",
}
LINKEDIN_REQUIRED = {"firstname", "lastname"}
PREAMBLE_LINES = 20  # LinkedIn puts a few lines of notes before the header


def linkedin(text: Text) -> Iterator[Row]:
    """LinkedIn's Connections.csv: find the header (after any "Notes:" preamble)
    rather than skip a fixed number of lines, then one Row per connection."""
    records = _rows(text)
    columns: dict[int, str] | None = None
    for line, cells in records:
        keys = [_header_key(c) for c in cells]
        if set(keys) >= LINKEDIN_REQUIRED:
            columns = {i: LINKEDIN_COLUMNS[k] for i, k in enumerate(keys) if k in LINKEDIN_COLUMNS}
            break
        if line > PREAMBLE_LINES:
            break
    if columns is None:
        raise ImportFileError(
            "This is not LinkedIn's Connections.csv: no header row with the columns "
            "First Name, Last Name, URL, Email Address, Company, Position, Connected On. "
            "For another spreadsheet, choose \u201cAnother CSV\u201d and map its columns."
        )
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        values = {name: _clean(cells[i]) if i < len(cells) else "" for i, name in columns.items()}
        connected = values.pop("connected_on", "")
        row = Row(line=line, **values)
        row.connected_on = parse_date(connected)
        yield row


DATE_FORMATS = ["%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%d/%m/%Y"]


@functools.lru_cache(maxsize=4096)  # a network has a few thousand distinct dates at most
def parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def headers(text: Text) -> list[str]:
    """The first row of any CSV: the columns a person maps to contact fields."""
    for _, cells in _rows(text):
        if any(c.strip() for c in cells):
            return [_clean(c) for c in cells]
        break
    raise ImportFileError("The file has no header row.")


# The fields a column may be mapped to, and the headers that suggest each, best first
# (Outlook's "Title" is Mr or Ms, so "Job Title" beats it for the job title).
MAPPABLE = {
    "full_name": ("Full name (split into first and last)", ["fullname", "name", "contactname"]),
    "first_name": ("First name", ["firstname", "givenname", "forename"]),
    "last_name": ("Last name", ["lastname", "surname", "familyname"]),
    "email": ("Email", ["email", "emailaddress", "workemail", "email1", "emailaddress1"]),
    "phone": ("Phone", ["mobile", "mobilephone", "phone", "phonenumber", "telephone", "tel"]),
    "organisation": ("Organisation", ["company", "organisation", "organization", "employer"]),
    "role": ("Job title", ["jobtitle", "position", "role", "title"]),
    "profile_url": ("Profile URL", ["linkedinurl", "linkedin", "profileurl", "url", "website"]),
}


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """field -> column, from the column names people usually give: for each field the
    column whose name ranks best among the names known for it."""
    ranked: dict[str, tuple[int, str]] = {}
    for column in columns:
        key = _header_key(column)
        for name, (_, known) in MAPPABLE.items():
            if key in known and (rank := known.index(key)) < ranked.get(name, (99, ""))[0]:
                ranked[name] = (rank, column)
    mapping = {name: column for name, (_, column) in ranked.items()}
    if "first_name" in mapping and "full_name" in mapping:
        del mapping["full_name"]
    return mapping


def any_csv(text: Text, mapping: dict[str, str]) -> Iterator[Row]:
    """Any CSV whose columns `mapping` (field -> column name) maps to contact fields."""
    if not ({"first_name", "full_name"} & set(mapping)):
        raise ImportFileError("Choose the column that holds the first name (or the full name).")
    records = _rows(text)
    header = next(records, (0, []))[1]
    positions = {_clean(c): i for i, c in reversed(list(enumerate(header)))}
    missing = [column for column in mapping.values() if column not in positions]
    if missing:
        raise ImportFileError(f"The file has no column called {missing[0]!r}.")
    columns = {positions[column]: name for name, column in mapping.items()}
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        values = {name: _clean(cells[i]) if i < len(cells) else "" for i, name in columns.items()}
        if full := values.pop("full_name", ""):
            first, _, last = full.partition(" ")
            values.setdefault("first_name", first)
            values.setdefault("last_name", last)
            values["first_name"] = values["first_name"] or first
            values["last_name"] = values["last_name"] or last
        yield Row(line=line, **values)


# vCard


def _values(card, name: str) -> list:
    return card.contents.get(name, [])


def _preferred(properties: list) -> list:
    """PREF first (vCard 3.0 TYPE=pref or 4.0 PREF=1), then in the file's order."""

    def rank(prop) -> int:
        params = {k.upper(): [str(v).lower() for v in vs] for k, vs in prop.params.items()}
        return 0 if "pref" in params.get("TYPE", []) or params.get("PREF") else 1

    return sorted(properties, key=rank)


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return _clean(str(value))


def _card(card, line: int) -> Row:
    row = Row(line=line)
    name = card.contents.get("n")
    if name:
        row.first_name = _text(name[0].value.given)
        row.last_name = _text(name[0].value.family)
    if not (row.first_name or row.last_name) and "fn" in card.contents:
        row.first_name, _, row.last_name = _text(card.fn.value).partition(" ")
    emails = [_text(p.value) for p in _preferred(_values(card, "email"))]
    row.email = next((e for e in emails if e), "")
    phones = [_text(p.value) for p in _preferred(_values(card, "tel"))]
    row.phone = next((re.sub(r"^tel:", "", p, flags=re.I) for p in phones if p), "")
    # Google's and Apple's exports escape the colon ("https\\://"), which RFC 6350 does not.
    urls = [_text(p.value).replace("\\:", ":") for p in _values(card, "url")]
    linkedin_urls = [u for u in urls if "linkedin.com/" in u.lower()]
    row.profile_url = (linkedin_urls or urls or [""])[0]
    if "org" in card.contents:
        row.organisation = _text(card.org.value)
    if "title" in card.contents:
        row.role = _text(card.title.value)
    if len(emails) > 1 or len(urls) > 1:
        row.notes.append("several emails or URLs: kept the preferred email and the LinkedIn URL")
    return row


def _cards(text: Text) -> Iterator[tuple[int, str]]:
    """(first line, text) of each card, read line by line: one card in memory at a time."""
    card: list[str] = []
    start = 0
    number = 0
    for number, line in enumerate(_stream(text), start=1):
        if not card and not line.strip():
            continue
        if not card and not line.upper().startswith("BEGIN:VCARD"):
            raise ImportFileError(
                f"Line {number} is outside any card: this is not a vCard file, or it is broken."
            )
        if not card:
            start = number
        card.append(line)
        if line.strip().upper() == "END:VCARD":
            yield start, "".join(card)
            card = []
    if card:
        raise ImportFileError(
            f"The vCard file is broken: the card that starts on line {start} never ends "
            "(no END:VCARD). Export it again from your address book."
        )
    if not number:
        raise ImportFileError(EMPTY)


def vcard(text: Text) -> Iterator[Row]:
    """vCard 3.0 or 4.0, several cards to a file; for each, the preferred email and
    phone, and the LinkedIn URL (else the first) as the profile."""
    for line, card in _cards(text):
        try:
            parsed = vobject.readOne(card, validate=False, ignoreUnreadable=False)
        except (vobject.base.ParseError, ValueError):
            raise ImportFileError(
                f"The vCard file is broken in the card that starts on line {line}. "
                "Export it again from your address book."
            ) from None
        yield _card(parsed, line)
