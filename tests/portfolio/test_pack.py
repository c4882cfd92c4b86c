"""The portfolio pack: a ZIP of every section as CSV and JSON with MANIFEST.sha256,
pseudonymised, formula-safe, and checked by verify_zip, the verify page and the
verify_pack command."""

import csv
import io
import itertools
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from netlog.csvsafe import read_cell
from portfolio import pack, services, views
from portfolio.models import Assignment, Export, ExportStatus
from portfolio.pack import MANIFEST, PDF, build_zip, contents, verify_zip
from portfolio.pseudonyms import pseudonym
from privacy.models import Action, AuditEvent
from reviews.models import Criterion, Decision, EvidenceLink, Reflection, Review, SignOff
from tests.conftest import client_for, daily_schedule
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory, witnessed
from tests.netlog.spreadsheet import would_run
from tests.pdf import pdf_text
from tests.portfolio.conftest import MARKERS, PERSONAL, PROFILE


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
    pdf = PdfReader(io.BytesIO(files[PDF]))
    # The PDF's text, its metadata and outline, not its compressed streams.
    files[PDF] = (pdf_text(files[PDF]) + str(pdf.metadata) + str(pdf.outline)).encode()
    files["the PDF's HTML"] = render_to_string(
        "portfolio/pack.html", {"pack": contents(learner, by=learner)}
    ).encode()

    assert {"testimonies.json", "activities.csv", "criteria.csv"} <= set(files)
    for name, data in files.items():
        text = data.decode().lower()
        for marker in [*MARKERS, PROFILE, *PERSONAL]:
            assert marker.lower() not in text, (name, marker)
    contact = learner.contacts.get(first_name="Quentavia")
    assert pseudonym(contact) in files["evidence.json"].decode()
    assert pseudonym(contact) in files["testimonies.json"].decode()


def test_the_evidence_section_lists_each_criterion_and_its_items(learner):
    evidence = json.loads(_files(build_zip(learner, by=learner))["evidence.json"])

    assert {(row["criterion"], row["kind"]) for row in evidence} == {
        ("2.2", "Activity"),
        ("2.2", "Review"),
        ("4.2", "Testimony"),
    }


def test_a_formula_in_a_note_comes_out_inert_in_csv(recruiter):
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], summary='=HYPERLINK("http://x","y")')

    activities = _files(build_zip(recruiter, by=recruiter))["activities.csv"].decode()

    assert "'=HYPERLINK" in activities
    assert "\n=HYPERLINK" not in activities and ",=HYPERLINK" not in activities


# Hostile text: a formula of some kind in every text the pack's files hold, and names
# that try to leave the ZIP's folder or add a header.
FORMULAS = [
    '=HYPERLINK("http://x.example","y")',
    " @SUM(A1)",
    "Acme;=1+1",
    "＋1",
    "\n-2+3",
    '=1+2";=1+2',
    "\t=cmd|' /C calc'!A0",
]
HOSTILE_NAME = '../../evil"; filename="x.exe'


@pytest.fixture
def hostile(recruiter, assessor):
    texts = itertools.cycle(FORMULAS)
    contact = ContactFactory(owner=recruiter, first_name=HOSTILE_NAME, last_name="/etc/passwd")
    activity = ActivityFactory(
        owner=recruiter,
        contacts=[contact],
        context=next(texts),
        summary=next(texts),
        outcome=next(texts),
    )
    review = Review.objects.create(
        owner=recruiter,
        contact=contact,
        value=3,
        activity=3,
        potential=3,
        rationale=next(texts),
        decision=Decision.MAINTAIN,
    )
    Reflection.objects.create(owner=recruiter, title=next(texts), text=next(texts))
    OutcomeFactory(owner=recruiter, contacts=[contact], notes=next(texts))
    _, testimony = witnessed(activity, contact, witness_name=HOSTILE_NAME, text=next(texts))
    criterion = Criterion.objects.get(code="2.2")
    for item in [{"activity": activity}, {"review": review}, {"testimony": testimony}]:
        EvidenceLink.objects.create(owner=recruiter, criterion=criterion, **item)
    assessor.first_name, assessor.last_name = next(texts), HOSTILE_NAME
    assessor.save()
    SignOff.objects.create(
        learner=recruiter, criterion=criterion, assessor=assessor, comment=next(texts)
    )
    recruiter.first_name, recruiter.last_name = HOSTILE_NAME, "\\..\\evil"
    recruiter.save()
    return recruiter


def _cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode(), newline="")) for cell in row]


def test_every_csv_in_the_pack_shows_every_formula_as_text(hostile):
    files = _files(build_zip(hostile, by=hostile))
    cells = {name: _cells(data) for name, data in files.items() if name.endswith(".csv")}

    assert len(cells) == len(contents(hostile, by=hostile).sections)
    for name, found in cells.items():
        assert not [cell for cell in found if would_run(cell)], name
    read = {read_cell(cell) for found in cells.values() for cell in found}
    assert set(FORMULAS) <= read  # every one reached a file, and reads back as it was


def test_the_zip_holds_its_own_file_names_only_whatever_anyone_is_called(hostile):
    names = zipfile.ZipFile(io.BytesIO(build_zip(hostile, by=hostile))).namelist()
    sections = contents(hostile, by=hostile).sections

    assert sorted(names) == sorted(
        [MANIFEST, PDF, "cover.json"]
        + [f"{section}.{kind}" for section in sections for kind in ("csv", "json")]
    )
    assert not [name for name in names if "/" in name or "\\" in name or ".." in name]


def test_the_pack_files_are_named_by_ids_whatever_the_learner_is_called(hostile):
    export = Export.objects.create(learner=hostile, requested_by=hostile)
    services.export_build(export_id=export.pk)
    client = client_for(hostile)
    made = timezone.localtime(Export.objects.get(pk=export.pk).created_at)
    name = f"netlog-portfolio-{hostile.pk}-{made:%Y%m%d-%H%M}"

    download = client.get(reverse("portfolio:export_download", args=[export.pk]))
    pdf = client.get(reverse("portfolio:export_pdf", args=[export.pk]))

    assert download["Content-Disposition"] == f'attachment; filename="{name}.zip"'
    assert pdf["Content-Disposition"] == f'inline; filename="{name}.pdf"'


# The download and the verify page


def test_an_assigned_assessor_exports_watches_and_downloads_the_pack(
    learner, assessor, django_capture_on_commit_callbacks
):
    Assignment.objects.create(assessor=assessor, learner=learner)
    client = client_for(assessor)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("portfolio:export_create", args=[learner.pk]))
    export = Export.objects.get()
    queued = client.get(response["Location"])
    for callback in callbacks:  # the job, as the worker would run it after the commit
        callback()
    done = client.get(response["Location"])
    download = client.get(reverse("portfolio:export_download", args=[export.pk]))

    assert response.status_code == 302
    assert 'http-equiv="refresh"' in queued.content.decode()
    assert "Queued" in queued.content.decode()
    assert 'aria-valuenow="100"' in done.content.decode()
    assert 'http-equiv="refresh"' not in done.content.decode()
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    assert verify_zip(download.content) == []
    export.refresh_from_db()
    assert (export.status, export.progress) == (ExportStatus.DONE, 100)
    assert AuditEvent.objects.filter(action=Action.EXPORTED, actor=assessor).count() == 2


def test_progress_moves_from_queued_to_done(learner):
    export = Export.objects.create(learner=learner, requested_by=learner)
    seen = []
    real = services._progress

    def spy(export_id, percent):
        real(export_id, percent)
        seen.append(Export.objects.get(pk=export_id).progress)

    services._progress = spy
    try:
        assert Export.objects.get(pk=export.pk).status == ExportStatus.QUEUED
        services.export_build(export_id=export.pk)
    finally:
        services._progress = real

    export.refresh_from_db()
    assert seen == sorted(seen) and seen[0] > 0
    assert (export.status, export.progress) == (ExportStatus.DONE, 100)


def test_a_job_run_twice_builds_once(learner):
    export = Export.objects.create(learner=learner, requested_by=learner)
    services.export_build(export_id=export.pk)
    first = Export.objects.get(pk=export.pk).finished_at

    services.export_build(export_id=export.pk)

    assert Export.objects.get(pk=export.pk).finished_at == first


def test_a_failed_build_says_so(learner, monkeypatch):
    export = Export.objects.create(learner=learner, requested_by=learner)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.pack, "build_zip", broken)
    with pytest.raises(RuntimeError):
        services.export_build(export_id=export.pk)

    assert Export.objects.get(pk=export.pk).status == ExportStatus.FAILED


def test_only_the_asker_the_learner_and_assigned_assessors_may_fetch(
    learner, assessor, teammate, manager
):
    export = Export.objects.create(learner=learner, requested_by=manager)
    services.export_build(export_id=export.pk)
    url = reverse("portfolio:export_download", args=[export.pk])

    assert client_for(manager).get(url).status_code == 200
    assert client_for(learner).get(url).status_code == 200
    assert client_for(assessor).get(url).status_code == 404
    Assignment.objects.create(assessor=assessor, learner=learner)
    assert client_for(assessor).get(url).status_code == 200
    assert client_for(teammate).get(url).status_code == 404


def test_a_pack_is_not_kept_after_its_days(learner):
    export = Export.objects.create(learner=learner, requested_by=learner)
    services.export_build(export_id=export.pk)
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=8)
    )

    response = client_for(learner).get(reverse("portfolio:export_download", args=[export.pk]))

    assert response.status_code == 404
    assert services.exports_expire() == 1
    assert Export.objects.get().data is None


def test_an_assessor_not_assigned_cannot_export(learner, assessor):
    response = client_for(assessor).post(reverse("portfolio:export_create", args=[learner.pk]))

    assert response.status_code == 404
    assert not Export.objects.exists()


def test_the_verify_page_says_whether_a_pack_verifies(learner):
    client = client_for(learner)
    good = build_zip(learner, by=learner)
    files = _files(good)
    files["criteria.csv"] = files["criteria.csv"] + b" "

    ok = client.post(reverse("portfolio:pack_verify"), {"pack": io.BytesIO(good)})
    bad = client.post(reverse("portfolio:pack_verify"), {"pack": io.BytesIO(_zip(files))})

    assert "The pack verifies" in ok.content.decode()
    assert "criteria.csv: changed" in bad.content.decode()


def test_the_verify_page_reads_a_pack_larger_than_other_forms_take(learner, settings):
    files = _files(build_zip(learner, by=learner))
    files["extra.bin"] = b"\0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 2**20)

    response = client_for(learner).post(
        reverse("portfolio:pack_verify"), {"pack": io.BytesIO(_zip(files))}
    )

    assert response.status_code == 200
    assert "extra.bin: not in the manifest" in response.content.decode()


def test_the_verify_page_refuses_a_file_too_large_unread(learner, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_MAX_BYTES", 1024 * 1024)
    read = []
    monkeypatch.setattr(views, "verify_zip", lambda data: read.append(data) or [])
    upload = io.BytesIO(b"\0" * (1024 * 1024 + 1))

    response = client_for(learner).post(reverse("portfolio:pack_verify"), {"pack": upload})

    assert "not a netlog pack: larger than 1 MB" in response.content.decode()
    assert read == []


def test_a_zip_that_would_unpack_to_too_much_is_not_unpacked(monkeypatch):
    """A "ZIP bomb": a few kilobytes of zeros that unpack to far more than any pack."""
    monkeypatch.setattr(pack, "VERIFY_MAX_UNPACKED_BYTES", 10 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr(MANIFEST, "")
        bomb.writestr("zeros.bin", b"\0" * (11 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024

    assert verify_zip(buffer.getvalue()) == [
        "not a netlog pack: it unpacks to far more than any pack"
    ]


def test_a_corrupt_file_in_the_zip_is_reported_not_an_error():
    data = bytearray(
        _zip({MANIFEST: ("0" * 64 + "  notes.txt\n").encode(), "notes.txt": b"x" * 4000})
    )
    data[data.index(b"x" * 100) : data.index(b"x" * 100) + 10] = b"y" * 10  # fails its CRC

    assert verify_zip(bytes(data)) == ["notes.txt: unreadable"]


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


def test_the_verify_command_prints_no_control_character_from_a_file_name(learner, tmp_path):
    """A terminal would act on an escape code printed as it is (colours, a cleared
    screen, a rewritten title): the names of an uploaded ZIP are shown escaped."""
    files = _files(build_zip(learner, by=learner))
    files["\x1b]0;owned\x07\x1b[2Jsee.txt"] = b""
    files["two\nlines.txt"] = b""
    pack = tmp_path / "pack.zip"
    pack.write_bytes(_zip(files))

    with pytest.raises(CommandError) as refused:
        call_command("verify_pack", str(pack))

    message = str(refused.value)
    assert "\\x1b]0;owned\\x07\\x1b[2Jsee.txt: not in the manifest" in message
    assert "two\\nlines.txt: not in the manifest" in message
    assert not any(c in message for c in "\x1b\x07")
    assert message.count("\n") == 2  # after the heading, and between the two problems


def test_expired_packs_are_deleted_every_night(db):
    assert daily_schedule("portfolio.tasks.expire_exports") == ("3", "45", "Europe/London")


def test_the_pack_page_polls_its_status_instead_of_reloading(learner):
    export = Export.objects.create(learner=learner, requested_by=learner)
    client = client_for(learner)

    page = client.get(reverse("portfolio:export_detail", args=[export.pk])).content.decode()
    status = client.get(reverse("portfolio:export_status", args=[export.pk]))

    assert "/static/netlog/progress.js" in page
    assert '<noscript><meta http-equiv="refresh"' in page  # the fallback without JavaScript
    assert 'aria-live="polite"' in page
    assert status.json() == {
        "status": "queued",
        "label": "Queued",
        "progress": 0,
        "finished": False,
    }
    assert status["Cache-Control"] == "no-store"


def test_only_the_packs_readers_see_its_status(learner, teammate):
    export = Export.objects.create(learner=learner, requested_by=learner)

    response = client_for(teammate).get(reverse("portfolio:export_status", args=[export.pk]))

    assert response.status_code == 404
