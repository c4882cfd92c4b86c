"""imports.parsers (and services.check, which judges each Row): the files people
actually upload, read into exact Rows, and the files refused with a reason they can
act on. Every file is built in tests/imports/files.py."""

import datetime
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from imports import parsers, services
from imports.parsers import ImportFileError, Row
from netlog.csvsafe import read_cell
from tests.imports import files
from tests.imports.files import connection


@pytest.fixture(params=["string", "stream"])
def text_of(request):
    """The two ways the app reads a file: the upload checks the whole decoded string,
    the preview job streams it with open_text. Both must give the same Rows."""

    def text_of(data: bytes) -> parsers.Text:
        text = parsers.decode(data)
        return text if request.param == "string" else parsers.open_text(data)

    return text_of


def refusal(read, data: bytes) -> str:
    with pytest.raises(ImportFileError) as error:
        list(read(parsers.decode(data)))
    return str(error.value)


# LinkedIn's Connections.csv

PEOPLE = [
    connection(
        "Zoë",
        "Ashworth-Brown",
        url="https://www.linkedin.com/in/zoe-ashworth-brown",
        company="Smith, Jones & Partners LLP",
        position="Senior Talent Partner",
        connected_on="12 Mar 2024",
    ),
    connection(
        "Łukasz",
        "Nowak",
        url="https://www.linkedin.com/in/lukasz-nowak-0a1b2c",
        email="l.nowak@example.pl",
        company='The "Best" Recruiters, Ltd',
        position="Director",
        connected_on="01 Jan 2025",
    ),
    connection(
        "太郎",
        "山田",
        url="https://www.linkedin.com/in/taro-yamada",
        company="株式会社サンプル",
        position="Head of  Platform ",
        connected_on="28 Feb 2023",
    ),
]


def people_read_from(header_line: int) -> list[Row]:
    return [
        Row(
            line=header_line + 1,
            first_name="Zoë",
            last_name="Ashworth-Brown",
            profile_url="https://www.linkedin.com/in/zoe-ashworth-brown",
            organisation="Smith, Jones & Partners LLP",
            role="Senior Talent Partner",
            connected_on=datetime.date(2024, 3, 12),
        ),
        Row(
            line=header_line + 2,
            first_name="Łukasz",
            last_name="Nowak",
            email="l.nowak@example.pl",
            profile_url="https://www.linkedin.com/in/lukasz-nowak-0a1b2c",
            organisation='The "Best" Recruiters, Ltd',
            role="Director",
            connected_on=datetime.date(2025, 1, 1),
        ),
        Row(
            line=header_line + 3,
            first_name="太郎",
            last_name="山田",
            profile_url="https://www.linkedin.com/in/taro-yamada",
            organisation="株式会社サンプル",
            role="Head of Platform",
            connected_on=datetime.date(2023, 2, 28),
        ),
    ]


@pytest.mark.parametrize(
    "bom, preamble, newline, trailing_blank_line",
    [
        pytest.param(True, "unquoted", "\r\n", True, id="as-exported-today"),
        pytest.param(True, "quoted", "\r\n", False, id="quoted-notes"),
        pytest.param(False, "unquoted", "\n", False, id="resaved-lf-no-bom"),
        pytest.param(False, None, "\n", True, id="no-preamble-lf"),
        pytest.param(True, None, "\r\n", False, id="no-preamble-bom-crlf"),
    ],
)
def test_it_reads_connections_csv_in_each_shape_linkedin_has_exported(
    text_of, bom, preamble, newline, trailing_blank_line
):
    data = files.linkedin_csv(
        PEOPLE,
        bom=bom,
        preamble=preamble,
        newline=newline,
        trailing_blank_line=trailing_blank_line,
    )
    rows = list(parsers.linkedin(text_of(data)))
    assert rows == people_read_from(header_line=files.HEADER_LINE[preamble])


LONG_NOTES = (
    'Notes:\r\n"When exporting your connection data, you may notice that some of the '
    "email addresses are missing.\r\nYou can learn more here, "
    'https://www.linkedin.com/help/linkedin/answer/261"\r\n\r\n\r\n'
)


@pytest.mark.parametrize(
    "before, header_line",
    [
        pytest.param("", 1, id="no-notes"),
        pytest.param(LONG_NOTES, 6, id="notes-over-two-lines-and-two-blank-lines"),
        pytest.param("\r\n" * 10, 11, id="ten-blank-lines"),
    ],
)
def test_it_finds_the_header_wherever_the_notes_end(text_of, before, header_line):
    data = before.encode() + files.linkedin_csv(PEOPLE, bom=False, preamble=None)
    rows = list(parsers.linkedin(text_of(data)))
    assert rows == people_read_from(header_line=header_line)


def test_an_older_export_without_the_url_column_is_read_by_its_column_names():
    data = files.generic_csv(
        [["Jo", "Bloggs", "", "Acme", "Engineer", "05 Nov 2019"]],
        header=["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],
    )
    assert list(parsers.linkedin(parsers.decode(data))) == [
        Row(
            line=2,
            first_name="Jo",
            last_name="Bloggs",
            organisation="Acme",
            role="Engineer",
            connected_on=datetime.date(2019, 11, 5),
        )
    ]


@pytest.mark.parametrize(
    "written, read",
    [
        ("12 Mar 2024", datetime.date(2024, 3, 12)),
        ("01 Jan 2025", datetime.date(2025, 1, 1)),
        ("29 Feb 2024", datetime.date(2024, 2, 29)),
        ("", None),
        ("sometime in 2019", None),
    ],
)
def test_it_reads_linkedins_dates(written, read):
    data = files.linkedin_csv([connection("Jo", "Bloggs", connected_on=written)])
    (row,) = parsers.linkedin(parsers.decode(data))
    assert row.connected_on == read


def test_most_connections_have_no_email_and_that_is_not_an_error():
    data = files.linkedin_csv(
        [
            connection("Jo", "Bloggs"),
            connection("Sam", "Okafor", email="sam.okafor@example.co.uk"),
            connection("Ana", "Lima"),
        ]
    )
    rows = list(parsers.linkedin(parsers.decode(data)))
    assert [(row.line, row.email) for row in rows] == [
        (5, ""),
        (6, "sam.okafor@example.co.uk"),
        (7, ""),
    ]


@pytest.mark.parametrize(
    "company",
    [
        "Smith, Jones & Partners LLP",
        'The "Best" Recruiters, Ltd',
        '"Quoted" Holdings',
        "Acme, Inc., UK branch",
    ],
)
def test_commas_and_quotes_inside_a_company_are_kept(company):
    data = files.linkedin_csv([connection("Jo", "Bloggs", company=company)])
    (row,) = parsers.linkedin(parsers.decode(data))
    assert row.organisation == company


@pytest.mark.parametrize(
    "first, last",
    [("Zoë", "Ashworth"), ("Łukasz", "Żółkiewski"), ("太郎", "山田"), ("Олена", "Шевченко")],
)
def test_accented_and_non_latin_names_are_kept(first, last):
    data = files.linkedin_csv([connection(first, last)])
    (row,) = parsers.linkedin(parsers.decode(data))
    assert (row.first_name, row.last_name) == (first, last)


def test_a_csv_without_linkedins_header_is_refused_naming_the_columns():
    data = files.generic_csv([["Jo Bloggs", "jo@example.com", "", "Acme", "Engineer"]])
    message = refusal(parsers.linkedin, data)
    assert "not LinkedIn's Connections.csv" in message
    assert "First Name, Last Name, URL, Email Address, Company, Position, Connected On" in message


def whitespace_collapsed(value: str) -> str:
    return " ".join(value.split())


# Printable text of any script: no control characters (Cc: tabs, newlines, NUL) and
# no lone surrogates (which cannot be UTF-8). Unicode spaces (NBSP, U+2028) stay in.
cell = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20)


@settings(deadline=None)
@given(
    people=st.lists(st.tuples(cell, cell, cell), max_size=15),
    bom=st.booleans(),
    preamble=st.sampled_from(["quoted", "unquoted", None]),
    newline=st.sampled_from(["\r\n", "\n"]),
)
@example(people=[("", "", "'=")], bom=False, preamble="quoted", newline="\r\n")
def test_whatever_linkedin_writes_reads_back(people, bom, preamble, newline):
    """What the parser promises: each record in order on its own line, each value with
    runs of whitespace collapsed to one space and none at either end, and a record
    whose every cell is blank skipped. A value that starts with an apostrophe and a
    formula character ("'=…") is read as netlog's own export wrote it: without the
    apostrophe (netlog.csvsafe.read_cell; hypothesis found "'=")."""
    data = files.linkedin_csv(
        (
            connection(first, last, company=company, connected_on="")
            for first, last, company in people
        ),
        bom=bom,
        preamble=preamble,
        newline=newline,
    )
    first_line = files.HEADER_LINE[preamble] + 1
    expected = [
        (line, *(whitespace_collapsed(read_cell(value.strip())) for value in person))
        for line, person in enumerate(people, start=first_line)
        if any(value.strip() for value in person)
    ]
    rows = parsers.linkedin(parsers.decode(data))
    assert [(r.line, r.first_name, r.last_name, r.organisation) for r in rows] == expected


# vCard

JO = "jo.bloggs@smithjones.example"
JO_NOTE = "several emails or URLs: kept the preferred email and the LinkedIn URL"


@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize("version, mobile", [("3.0", "07700 900123"), ("4.0", "+44-7700-900123")])
def test_it_reads_an_address_book(text_of, version, mobile, newline):
    data = files.address_book(version, newline=newline)
    assert list(parsers.vcard(text_of(data))) == [
        Row(
            line=1,
            first_name="Jo",
            last_name="Bloggs",
            email=JO,
            phone=mobile,
            profile_url=files.LONG_LINKEDIN_URL,
            organisation="Smith, Jones; Partners LLP",
            role="Head of Talent, EMEA",
            notes=[JO_NOTE],
        ),
        Row(
            line=16, last_name="Nowak", email="l.nowak@example.pl", organisation="Nowak Sp. z o.o."
        ),
        Row(line=23, first_name="Zoë", phone="+44 113 496 0000", profile_url="www.zoe.example"),
        Row(
            line=30,
            first_name="Priya",
            last_name="Shah",
            profile_url="https://www.linkedin.com/in/priya-shah",
            role="Engineering Manager",
        ),
    ]


@pytest.mark.parametrize("version, pref", [("3.0", "TYPE=INTERNET,pref"), ("4.0", "PREF=1")])
def test_the_linkedin_url_and_the_preferred_email_are_kept(version, pref):
    data = files.vcf(
        files.card(
            "FN:Jo Bloggs",
            "EMAIL:jo@home.example",
            "EMAIL:jo@old-job.example",
            f"EMAIL;{pref}:{JO}",
            "URL:https://github.com/jobloggs",
            "URL:https://jo.example",
            "URL:https://uk.linkedin.com/in/jo-bloggs",
            version=version,
        )
    )
    (row,) = parsers.vcard(parsers.decode(data))
    assert (row.email, row.profile_url) == (JO, "https://uk.linkedin.com/in/jo-bloggs")
    assert row.notes == [JO_NOTE]


def test_without_a_preference_or_a_linkedin_url_the_first_of_each_is_kept():
    data = files.vcf(
        files.card(
            "FN:Jo Bloggs",
            "EMAIL:jo@home.example",
            "EMAIL:jo@work.example",
            "URL:https://jo.example",
            "URL:https://github.com/jobloggs",
        )
    )
    (row,) = parsers.vcard(parsers.decode(data))
    assert (row.email, row.profile_url) == ("jo@home.example", "https://jo.example")


def test_folded_lines_are_unfolded_whatever_the_script():
    organisation = (
        "株式会社サンプル・インターナショナル・リクルートメント・"
        "アンド・タレント・パートナーズ・ロンドン支店"
    )
    data = files.vcf(files.card("N:山田;太郎;;;", f"ORG:{organisation}", "TITLE:" + "x" * 100))
    assert b"\r\n " in data  # the ORG and TITLE lines really are folded
    (row,) = parsers.vcard(parsers.decode(data))
    assert (row.first_name, row.last_name) == ("太郎", "山田")
    assert (row.organisation, row.role) == (organisation, "x" * 100)


@pytest.mark.parametrize(
    "name, first, last",
    [
        pytest.param("N:Nowak;;;;", "", "Nowak", id="no-given-name"),
        pytest.param("N:;Zoë;;;", "Zoë", "", id="no-family-name"),
        pytest.param("N:;;;;", "Jo", "Bloggs Smith", id="empty-N-falls-back-to-FN"),
        pytest.param("N:Bloggs;Jo;Anne;Dr;PhD", "Jo", "Bloggs", id="every-part"),
    ],
)
def test_n_with_empty_parts(name, first, last):
    data = files.vcf(files.card(name, "FN:Jo Bloggs Smith"))
    (row,) = parsers.vcard(parsers.decode(data))
    assert (row.first_name, row.last_name) == (first, last)


def test_each_card_has_the_line_it_starts_on():
    long_note = "NOTE:" + "Met at the Manchester digital careers fair, keen on Rust. " * 3
    data = files.vcf(
        files.card("FN:Jo Bloggs", long_note),  # the note folds over 3 lines
        files.card("FN:Sam Okafor"),
        files.card("FN:Ana Lima", long_note),
        between=2,
    )
    assert [row.line for row in parsers.vcard(parsers.decode(data))] == [1, 10, 16]


def test_a_card_cut_off_is_refused_with_the_line_it_starts_on():
    message = refusal(parsers.vcard, files.broken_vcard())
    assert "broken" in message
    assert re.search(r"\bline 6\b", message)


def test_a_card_with_an_unreadable_line_is_refused_with_the_line_it_starts_on():
    data = files.vcf(files.card("FN:Jo Bloggs"), files.card("FN:Sam Okafor", "this has no colon"))
    message = refusal(parsers.vcard, data)
    assert "broken" in message
    assert re.search(r"\bline 5\b", message)


def test_a_csv_uploaded_as_a_vcard_is_refused():
    message = refusal(parsers.vcard, files.linkedin_csv(PEOPLE))
    assert "vCard" in message


def test_an_escaped_colon_in_a_url_is_unescaped():
    data = files.vcf(
        files.card(
            "N:Bloggs;Jo;;;",
            "item1.URL;type=pref:https\\://www.linkedin.com/in/jo-bloggs",
            "item1.X-ABLabel:LinkedIn",
        )
    )
    (row,) = parsers.vcard(parsers.decode(data))
    assert row.profile_url == "https://www.linkedin.com/in/jo-bloggs"


# Files refused as a whole


def test_a_windows_1252_file_is_refused_saying_utf8_and_the_line():
    with pytest.raises(ImportFileError) as error:
        parsers.decode(files.cp1252_csv())
    message = str(error.value)
    assert "not UTF-8" in message
    assert "line 2 " in message
    assert "CSV UTF-8" in message  # what to do about it


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(files.xlsx_start(), id="xlsx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", id="old-xls"),
        pytest.param("First Name,Last Name\r\n".encode("utf-16"), id="utf-16"),
    ],
)
def test_a_binary_file_is_refused_as_not_a_text_file(data):
    with pytest.raises(ImportFileError, match=r"not a (CSV or vCard )?text file"):
        parsers.decode(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(files.empty_file(), id="empty"),
        pytest.param(b"\r\n\r\n", id="blank-lines"),
        pytest.param(b" \t\n", id="spaces"),
        pytest.param(
            b"\xef\xbb\xbf",
            id="bom-only",
        ),
    ],
)
def test_an_empty_file_is_refused(data):
    with pytest.raises(ImportFileError) as error:
        parsers.decode(data)
    assert str(error.value) == "The file is empty."


# Another CSV


@pytest.mark.parametrize(
    "columns, mapping",
    [
        pytest.param(
            list(files.GENERIC_HEADER),
            {
                "full_name": "Full Name",
                "email": "E-mail",
                "phone": "Mobile",
                "organisation": "Company",
                "role": "Job Title",
            },
            id="generic",
        ),
        pytest.param(
            ["First name", "Surname", "Email address", "Phone number", "Organisation", "LinkedIn"],
            {
                "first_name": "First name",
                "last_name": "Surname",
                "email": "Email address",
                "phone": "Phone number",
                "organisation": "Organisation",
                "profile_url": "LinkedIn",
            },
            id="uk-spreadsheet",
        ),
        pytest.param(
            ["Name", "Given Name", "Family Name", "Notes"],
            {"first_name": "Given Name", "last_name": "Family Name"},
            id="full-name-dropped-when-first-name-is-there",
        ),
        pytest.param(
            # Outlook's export: "Title" is Mr/Ms, the job is "Job Title".
            ["Title", "First Name", "Last Name", "Company", "Job Title", "E-mail Address"],
            {
                "first_name": "First Name",
                "last_name": "Last Name",
                "organisation": "Company",
                "role": "Job Title",
                "email": "E-mail Address",
            },
            id="outlook",
        ),
    ],
)
def test_it_guesses_the_mapping_from_common_headers(columns, mapping):
    assert parsers.guess_mapping(columns) == mapping


GENERIC_MAPPING = {
    "full_name": "Full Name",
    "email": "E-mail",
    "phone": "Mobile",
    "organisation": "Company",
    "role": "Job Title",
}


def test_any_csv_reads_the_mapped_columns_and_splits_the_full_name(text_of):
    data = files.generic_csv(
        [
            ["Zoë Ashworth-Brown", "zoe@example.com", "07700 900123", "Smith, Jones LLP", "CTO"],
            ["Mary Ann  Smith ", "", "", "", ""],
            ["", "", "", "", ""],
            ["Cher", "", "", "", "Singer"],
        ],
        bom=True,
    )
    text = text_of(data)
    assert list(parsers.any_csv(text, GENERIC_MAPPING)) == [
        Row(
            line=2,
            first_name="Zoë",
            last_name="Ashworth-Brown",
            email="zoe@example.com",
            phone="07700 900123",
            organisation="Smith, Jones LLP",
            role="CTO",
        ),
        Row(line=3, first_name="Mary", last_name="Ann Smith"),
        Row(line=5, first_name="Cher", role="Singer"),
    ]


def test_a_full_name_fills_only_the_name_parts_that_are_empty():
    data = files.generic_csv(
        [["Jo", "", "Jo Bloggs"], ["", "", "Sam Okafor"]], header=["First", "Last", "Name"]
    )
    mapping = {"first_name": "First", "last_name": "Last", "full_name": "Name"}
    rows = parsers.any_csv(parsers.decode(data), mapping)
    assert [(r.first_name, r.last_name) for r in rows] == [("Jo", "Bloggs"), ("Sam", "Okafor")]


def test_any_csv_refuses_a_mapping_to_a_column_the_file_does_not_have():
    data = files.generic_csv([["Jo Bloggs", "", "", "", ""]])
    mapping = {"full_name": "Full Name", "email": "Email Address"}
    with pytest.raises(ImportFileError, match="no column called 'Email Address'"):
        list(parsers.any_csv(parsers.decode(data), mapping))


def test_any_csv_needs_a_column_for_the_name():
    data = files.generic_csv([["Jo Bloggs", "", "", "", ""]])
    with pytest.raises(ImportFileError, match="first name"):
        list(parsers.any_csv(parsers.decode(data), {"email": "E-mail"}))


# services.check: what makes a Row unusable, and what is left out of it


def row(**fields) -> Row:
    return Row(**{"line": 7, "first_name": "Jo", "last_name": "Bloggs", **fields})


def test_a_good_row_passes_unchanged():
    good = row(
        email="jo@example.co.uk",
        phone="+44 20 7946 0958",
        profile_url="https://www.linkedin.com/in/jo-bloggs",
    )
    assert services.check(good) == []
    assert good == row(
        email="jo@example.co.uk",
        phone="+44 20 7946 0958",
        profile_url="https://www.linkedin.com/in/jo-bloggs",
    )


@pytest.mark.parametrize("email", ["jo@@example.com", "jo bloggs@example.com", "jo.example.com"])
def test_an_invalid_email_is_an_error_naming_the_row(email):
    assert services.check(row(email=email)) == [
        f"Line 7: \u201c{email}\u201d is not a valid email address."
    ]


@pytest.mark.parametrize("phone", ["07700 9OO123", "call after 6", "12"])
def test_an_invalid_phone_is_left_out_with_a_remark(phone):
    checked = row(phone=phone)
    assert services.check(checked) == []
    assert checked.phone == ""
    assert checked.notes == ["phone left out: not a valid phone number"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.com/jo",
        "www.linkedin.com/in/jo-bloggs",
        "https://www.linkedin.com/in/" + "x" * 480,
    ],
    ids=["javascript", "ftp", "no-scheme", "over-500"],
)
def test_an_invalid_or_non_web_profile_is_left_out_with_a_remark(url):
    checked = row(profile_url=url)
    assert services.check(checked) == []
    assert checked.profile_url == ""
    assert checked.notes == ["profile URL left out: not a valid web address"]


def test_an_overlong_first_name_is_an_error():
    assert services.check(row(first_name="x" * 100)) == []
    assert services.check(row(first_name="x" * 101)) == [
        "Line 7: the first name is longer than 100 characters."
    ]
