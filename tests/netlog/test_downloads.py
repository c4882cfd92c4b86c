"""Every file netlog sends as a download is named from ids and dates, never from what
anyone typed (a name could carry a quote, a path or a line break into the header).
Each is tested with hostile names; this keeps the list complete."""

import ast

from tests.netlog.source import app_modules

# Where a download is named, how many times, and the test that names it with hostile
# text about: a new one needs such a test, and its place here.
DOWNLOADS = {
    # test_pack.py: test_the_pack_files_are_named_by_ids_whatever_the_learner_is_called
    "portfolio/views.py": 2,
    # test_access_report.py: test_the_download_is_named_by_the_request_whatever_the_person_*
    "privacy/views.py": 1,
    # The date only: test_export_csv.py and test_export_vcard.py,
    # test_it_is_a_streamed_utf8_attachment_*
    "takeout/views.py": 1,
}


def _named_downloads(tree: ast.Module) -> int:
    """Content-Disposition headers set, and FileResponses (which set one)."""
    return sum(
        (isinstance(node, ast.Constant) and str(node.value).lower() == "content-disposition")
        or (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "FileResponse"
        )
        for node in ast.walk(tree)
    )


def test_every_download_is_one_tested_with_hostile_names():
    found = {path: n for path, tree in app_modules().items() if (n := _named_downloads(tree))}

    assert found == DOWNLOADS
