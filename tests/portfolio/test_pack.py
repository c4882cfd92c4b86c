"""The portfolio pack: a ZIP of every section as CSV and JSON with MANIFEST.sha256,
pseudonymised, formula-safe, and checked by verify_zip, the verify page and the
verify_pack command."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from netlog.csvsafe import safe_cell, safe_row
from portfolio.models import Assignment
from portfolio.pack import MANIFEST, build_zip, verify_zip
from portfolio.pseudonyms import pseudonym
from privacy.models import Action, AuditEvent
from reviews.models import Criterion, EvidenceLink, Reflection, Review
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory

MARKERS = ["Quentavia", "Marrowby", "quentavia.m@markmail.test", "07700 900 461", "7700900461"]


@pytest.fixture
def learner(recruiter):
    """A learner whose contact is named in every kind of text the pack holds."""
    person = ContactFactory(
        owner=recruiter,
        first_name="Quentavia",
        last_name="Marrowby",
        email="quentavia.m@markmail.test",
        phone="07700 900 461",
        profile_url="https://www.linkedin.com/in/qmarrowby-mark",
        kind="hiring_manager",
    )
    activity = ActivityFactory(
        owner=recruiter,
        contacts=[person],
        context="Coffee with Quentavia Marrowby",
        summary="Quentavia (07700900461) wants two data engineers.",
        outcome="Emailed quentavia.m@markmail.test the shortlist.",
    )
    review = Review.objects.create(
        owner=recruiter,
        contact=person,
        value=4,
        activity=4,
        potential=5,
        rationale="Quentavia hires every quarter.",
        decision="strengthen",
    )
    Reflection.objects.create(owner=recruiter, title="Marrowby", text="Quentavia opened doors.")
    OutcomeFactory(owner=recruiter, contacts=[person], notes="Placed with Quentavia Marrowby.")
    criterion = Criterion.objects.get(code="2.2")
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion, activity=activity)
    EvidenceLink.objects.create(owner=recruiter, criterion=criterion, review=review)
    return recruiter


def _files(data: bytes) -> dict[str, bytes]:
    pack = zipfile.ZipFile(io.BytesIO(data))
    return {name: pack.read(name) for name in pack.namelist()}


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pack:
        for name, data in files.items():
            pack.writestr(name, data)
    return buffer.getvalue()


def test_the_manifest_lists_every_file_and_verifies(learner):
    files = _files(build_zip(learner, by=learner))

    listed = [line.split("  ", 1)[1] for line in files[MANIFEST].decode().splitlines()]
    assert sorted(listed) == sorted(name for name in files if name != MANIFEST)
    assert {"criteria.csv", "evidence.json", "activities.csv", "testimonies.json"} <= set(files)
    assert verify_zip(build_zip(learner, by=learner)) == []


def test_a_changed_byte_fails_verification(learner):
    files = _files(build_zip(learner, by=learner))
    data = bytearray(files["evidence.json"])
    data[10] ^= 1
    files["evidence.json"] = bytes(data)

    assert verify_zip(_zip(files)) == ["evidence.json: changed"]


def test_a_missing_or_extra_file_fails_verification(learner):
    files = _files(build_zip(learner, by=learner))
    del files["reviews.csv"]
    files["extra.txt"] = b"hello"

    assert verify_zip(_zip(files)) == ["reviews.csv: missing", "extra.txt: not in the manifest"]


def test_something_that_is_not_a_pack_does_not_verify():
    assert verify_zip(b"not a zip") == ["not a netlog pack: no readable ZIP with a manifest"]


def test_the_pack_holds_no_contact_name_email_phone_or_profile(learner):
    files = _files(build_zip(learner, by=learner))

    for name, data in files.items():
        text = data.decode().lower()
        for marker in [*MARKERS, "qmarrowby-mark"]:
            assert marker.lower() not in text, (name, marker)
    contact = learner.contacts.get()
    assert pseudonym(contact) in files["evidence.json"].decode()


def test_the_evidence_section_lists_each_criterion_and_its_items(learner):
    evidence = json.loads(_files(build_zip(learner, by=learner))["evidence.json"])

    assert {(row["criterion"], row["kind"]) for row in evidence} == {
        ("2.2", "Activity"),
        ("2.2", "Review"),
    }


def test_a_formula_in_a_note_comes_out_inert_in_csv(recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], summary='=HYPERLINK("http://x","y")')

    activities = _files(build_zip(recruiter, by=recruiter))["activities.csv"].decode()

    assert "'=HYPERLINK" in activities
    assert "\n=HYPERLINK" not in activities and ",=HYPERLINK" not in activities


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_neutralises_each_formula_start(payload):
    assert safe_cell(payload) == "'" + payload
    assert safe_row([payload, 3, None]) == ["'" + payload, 3, None]


def test_safe_cell_leaves_ordinary_text_and_numbers_alone():
    assert safe_cell("Placed at Acme") == "Placed at Acme"
    assert safe_cell(-5) == -5


# The download and the verify page


def test_an_assigned_assessor_downloads_the_pack(learner, assessor):
    Assignment.objects.create(assessor=assessor, learner=learner)

    response = client_for(assessor).get(reverse("portfolio:pack_download", args=[learner.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    assert verify_zip(response.content) == []
    assert AuditEvent.objects.filter(action=Action.EXPORTED, actor=assessor).exists()


def test_an_assessor_not_assigned_gets_404(learner, assessor):
    response = client_for(assessor).get(reverse("portfolio:pack_download", args=[learner.pk]))

    assert response.status_code == 404


def test_the_verify_page_says_whether_a_pack_verifies(learner):
    client = client_for(learner)
    good = build_zip(learner, by=learner)
    files = _files(good)
    files["criteria.csv"] = files["criteria.csv"] + b" "

    ok = client.post(reverse("portfolio:pack_verify"), {"pack": io.BytesIO(good)})
    bad = client.post(reverse("portfolio:pack_verify"), {"pack": io.BytesIO(_zip(files))})

    assert "The pack verifies" in ok.content.decode()
    assert "criteria.csv: changed" in bad.content.decode()


def test_the_verify_command(learner, tmp_path):
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    good.write_bytes(build_zip(learner, by=learner))
    files = _files(good.read_bytes())
    files["cover.json"] = b"{}"
    bad.write_bytes(_zip(files))

    out = io.StringIO()
    call_command("verify_pack", str(good), stdout=out)
    assert "verifies" in out.getvalue()
    with pytest.raises(CommandError, match="cover.json: changed"):
        call_command("verify_pack", str(bad))
    with pytest.raises(CommandError):
        call_command("verify_pack", str(tmp_path / "missing.zip"))
