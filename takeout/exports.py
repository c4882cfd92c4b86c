"""A recruiter's own contacts as files to take elsewhere: CSV for a spreadsheet and
vCard 4.0 for an address book. Both are written one contact at a time from a chunked
iterator with the tags prefetched per chunk: memory stays flat however many contacts
there are (measured: the same at 3,000 and 30,000), and queries grow by one per
CHUNK_SIZE contacts, never per contact."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from contacts.models import Contact
from netlog.csvsafe import SafeWriter
from takeout.text import plain_text

CHUNK_SIZE = 2000

CSV_HEADER = [
    "First name",
    "Last name",
    "Relationship",
    "How you met",
    "Organisation",
    "Job title",
    "Email",
    "Phone",
    "Profile URL",
    "Tags",
    "Lawful basis",
    "Added on",
]


class _Echo:
    """A file that hands back what is written to it, so a CSV writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _chunked(contacts: QuerySet[Contact]) -> Iterator[Contact]:
    return contacts.prefetch_related("tags").iterator(chunk_size=CHUNK_SIZE)


def _tags(contact: Contact) -> list[str]:
    return [tag.name for tag in contact.tags.all()]  # prefetched


def csv_row(contact: Contact) -> list[str]:
    return [
        contact.first_name,
        contact.last_name,
        contact.get_kind_display(),
        contact.get_source_channel_display(),
        contact.organisation,
        contact.role,
        contact.email,
        contact.phone,
        contact.profile_url,
        "; ".join(_tags(contact)),
        contact.get_lawful_basis_display(),
        timezone.localtime(contact.created_at).date().isoformat(),
    ]


def contacts_csv(contacts: QuerySet[Contact]) -> Iterator[str]:
    """The header and one row per contact, every cell neutralised for spreadsheets."""
    writer = SafeWriter(_Echo())
    yield "\ufeff"  # the BOM: without it Excel reads UTF-8 as the local code page
    yield writer.writerow(CSV_HEADER)
    for contact in _chunked(contacts):
        yield writer.writerow(csv_row(contact))


def _text(value: str) -> str:
    """A vCard text value (RFC 6350 3.4): backslash, comma, semicolon and every kind of
    line break escaped, no other control character."""
    value = plain_text(value).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 6350 3.2: lines of at most 75 octets, continued on lines that start with a
    space, never splitting a character's UTF-8 bytes."""
    if len(line.encode()) <= 75:
        return line + "\r\n"
    parts, part, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(part)
            part, size = "", 0
        part += char
        size += width
    parts.append(part)
    return "\r\n ".join(parts) + "\r\n"


def vcard(contact: Contact) -> str:
    """One contact as a vCard 4.0: name, organisation, job title, email, phone, profile
    URL and tags (as CATEGORIES), each only when there is one. Written directly (about
    thirty times faster than building vobject's objects; vobject reads it back in the
    tests, and the importer reads it with vobject).

    Notes are left out on purpose (no NOTE): they are the recruiter's working notes
    about the person, and an address book copies them to phones and cloud accounts,
    out of reach of erasure and retention here. Lawful basis and consent stay out too.
    """
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//netlog//contacts export//EN",
        f"FN:{_text(contact.name)}",
        f"N:{_text(contact.last_name)};{_text(contact.first_name)};;;",
    ]
    if contact.organisation:
        lines.append(f"ORG:{_text(contact.organisation)}")
    for name, value in [("TITLE", contact.role), ("EMAIL", contact.email)]:
        if value:
            lines.append(f"{name}:{_text(value)}")
    if contact.phone:
        lines.append(f"TEL;VALUE=text:{_text(contact.phone)}")
    if contact.profile_url:
        # Escaped like text: RFC 6350 would not, but vobject and others cut a URL at
        # an unescaped comma (the rare profile URL with a comma or semicolon).
        lines.append(f"URL:{_text(contact.profile_url)}")
    if tags := _tags(contact):
        lines.append("CATEGORIES:" + ",".join(_text(tag) for tag in tags))
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def contacts_vcard(contacts: QuerySet[Contact]) -> Iterator[str]:
    """One card per contact."""
    for contact in _chunked(contacts):
        yield vcard(contact)
