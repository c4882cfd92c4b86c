"""netlog.csvsafe: no cell netlog writes runs as a formula in a spreadsheet, however the
formula is hidden, what it writes reads back exactly, and it is the only CSV writer in
the app."""

import ast
import csv
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from netlog.csvsafe import SafeWriter, read_cell, safe_cell, safe_row
from tests.netlog.source import app_modules
from tests.netlog.spreadsheet import would_run


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\x00x"])
def test_it_neutralises_each_formula_start_owasp_and_asvs_list(payload):
    assert safe_cell(payload) == "'" + payload
    assert safe_row([payload, 3, None]) == ["'" + payload, 3, None]


@pytest.mark.parametrize(
    "payload",
    [
        " =1+1",
        "\n=1+1",
        "\r\n=1+1",
        "\x00=1+1",
        "\x0b@SUM(A1)",
        "\u00a0+1",  # no-break space
        "\u200b=1+1",  # zero-width space
        "\ufeff-1",  # a byte-order mark
        " \r =cmd|' /C calc'!A0",
    ],
)
def test_it_neutralises_a_formula_behind_white_space_or_invisible_characters(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "payload", ["＝1+1", "＋1", "－1", "＠SUM(A1)", "﹦1+1", "﹢1", "﹣1", "﹫x"]
)
def test_it_neutralises_the_full_width_and_small_formula_characters(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Acme;=1+1", "Acme;'=1+1"),
        ("Acme; @SUM(A1)", "Acme;' @SUM(A1)"),
        ("Acme\t+1", "Acme\t'+1"),
        ('=1+2";=1+2', "'=1+2\";'=1+2"),  # OWASP's example
    ],
)
def test_it_neutralises_a_formula_after_a_semicolon_or_tab(text, written):
    """A spreadsheet that splits on semicolons (the list separator in much of Europe) or
    tabs starts a new cell there."""
    assert safe_cell(text) == written
    assert read_cell(written) == text


@pytest.mark.parametrize(
    "text",
    ["Placed at Acme", "data; london", "O'Brien", "Smith, Jones", "5-2", "a@b.example", ""],
)
def test_it_leaves_ordinary_text_alone(text):
    assert safe_cell(text) == text == read_cell(text)


def test_it_leaves_numbers_and_none_alone():
    assert safe_row([-5, 2.5, None, True]) == [-5, 2.5, None, True]


def test_an_apostrophe_already_there_gets_one_more_and_reads_back():
    for text in ["'=1", "''+1", " '=1", "Acme;'=1"]:
        assert read_cell(safe_cell(text)) == text
    assert safe_cell("'=1") == "''=1"
    assert read_cell("'hello") == "'hello"  # not one safe_cell adds


# Text of any kind, weighted towards the characters the tricks are made of.
tricky = st.text(st.sampled_from("'=+-@;\t\r\n \x00\x0b\u00a0\u200b＝﹣,\"ax"), max_size=12)


@settings(deadline=None, max_examples=500)
@given(text=st.one_of(tricky, st.text()))
@example(text="'\t'=")
@example(text="a;\t=1")
def test_whatever_it_writes_a_spreadsheet_shows_as_text_and_reads_back(text):
    written = safe_cell(text)

    assert not would_run(written), repr(written)
    assert read_cell(written) == text


def _written(rows: list) -> str:
    out = io.StringIO()
    SafeWriter(out).writerows(rows)
    return out.getvalue()


def test_the_writer_keeps_separators_quotes_and_line_breaks_inside_their_cell():
    """OWASP: a separator or quote in the text must not start a new cell (RFC 4180
    quoting), nor a line break a new row."""
    row = ['=1+2";=1+2', "Acme,=1+1", 'He said "hi",@x', "two\r\n=lines", "x\n+1", 7]

    text = _written([row])
    (read,) = list(csv.reader(io.StringIO(text, newline="")))

    assert text.startswith('"\'=1+2"";\'=1+2",')  # OWASP's escaping, and one more
    assert text.endswith(",7\r\n")
    assert [read_cell(cell) for cell in read] == [str(cell) for cell in row]
    assert not any(would_run(cell) for cell in read)


def test_the_writer_makes_every_cell_safe_including_the_header():
    text = _written([["=header", "ok"], ["ok", "-1"]])

    assert text == "'=header,ok\r\nok,'-1\r\n"


def test_the_writer_hands_back_what_the_file_returns_for_streaming():
    class Echo:
        def write(self, value: str) -> str:
            return value

    assert SafeWriter(Echo()).writerow(["=1", "b"]) == "'=1,b\r\n"


# The one CSV writer


def _csv_writers(tree: ast.AST) -> list[int]:
    """The lines that make a csv.writer or csv.DictWriter, however csv was imported."""
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name in ("csv", "_csv")
    }
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.ImportFrom)
            and node.module in ("csv", "_csv")
            and {a.name for a in node.names} & {"writer", "DictWriter", "*"}
        ):
            lines.append(node.lineno)
    return lines


def test_no_app_code_writes_csv_but_through_the_safe_writer():
    """Write CSV with netlog.csvsafe.SafeWriter: it makes every cell safe."""
    found = {path: lines for path, tree in app_modules().items() if (lines := _csv_writers(tree))}

    assert set(found) == {"netlog/csvsafe.py"}, found
