"""The pack's PDF (its text, contents and page numbers, read back with pypdf), real
names shown only by an explicit, audited choice with a reason, and the compliance
summary's measures."""

import datetime
import http.server
import io
import json
import re
import threading
import zipfile
from html.parser import HTMLParser

import pytest
import weasyprint
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

import portfolio.pdf
from contacts.models import Channel
from portfolio.models import Assignment, Export, ExportStatus, NamesReason
from portfolio.pack import PDF, Contents, build_zip, compliance, contents, read_pdf, verify_zip
from portfolio.pdf import html_to_pdf
from portfolio.pseudonyms import pseudonym
from privacy.models import Action, AuditEvent, Status
from reviews.models import Criterion, EvidenceLink, Reflection, SignOff
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    approved,
)
from tests.pdf import pdf_pages, pdf_text
from tests.portfolio.conftest import MARKERS

# contents(): the learner's contacts (pseudonyms), evidence links and their prefetches,
# coverage (criteria, sign-offs, the counts of every kind), each section's rows and
# prefetches, and the compliance counts.
CONTENTS_QUERIES = 19


@pytest.fixture
def pack(learner):
    return build_zip(learner, by=learner)


# The PDF


def test_the_zip_holds_the_pdf_listed_in_its_manifest(pack):
    archive = zipfile.ZipFile(io.BytesIO(pack))

    assert PDF in archive.namelist()
    assert archive.read(PDF).startswith(b"%PDF-")
    assert PDF in archive.read("MANIFEST.sha256").decode()
    assert verify_zip(pack) == []


def test_the_pdf_holds_each_criterion_and_its_evidence(learner, pack):
    text = pdf_text(read_pdf(pack))
    part = text[text.rindex("Criteria and their evidence") : text.rindex("Networking log")]
    evidence = json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("evidence.json"))
    criteria = list(Criterion.objects.all())  # the unit's order

    # Each criterion's block, from its heading to the next one, holds its own items.
    starts = [part.index(" ".join(f"{c.code} {c.text}".split())) for c in criteria]
    blocks = {
        c.code: part[start : (starts[n + 1] if n + 1 < len(starts) else len(part))]
        for n, (c, start) in enumerate(zip(criteria, starts, strict=True))
    }
    assert starts == sorted(starts)
    assert {row["criterion"] for row in evidence} == {"2.2", "4.2"}
    for row in evidence:
        block = blocks[row["criterion"]]
        assert f"{row['kind']}, " in block
        assert " ".join(row["title"].split())[:60] in block, row
    assert "No evidence linked yet." in blocks["1.1"]
    contact = learner.contacts.get(first_name="Quentavia")
    assert pseudonym(contact) + " hires every quarter." in blocks["2.2"]  # the rationale


def test_the_pdf_has_a_cover_contents_and_numbered_pages(learner, pack):
    pages = pdf_pages(read_pdf(pack))
    total = len(pages)

    assert "Priya" in pages[0] and "pseudonymised" in pages[0]
    assert "Period" in pages[0] and "Generated" in pages[0]
    contents = pages[1]
    for title in ["Coverage of the criteria", "Networking log", "Compliance summary"]:
        assert re.search(rf"{title}[ .]*\d+", contents), title
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
    # Each entry's page number is the page its section starts on.
    listed = int(re.search(r"Compliance summary[ .]*(\d+)", contents).group(1))
    assert pages[listed - 1].startswith("Compliance summary")


def test_the_pdf_names_no_contact(pack):
    text = pdf_text(read_pdf(pack)).lower()

    for marker in [*MARKERS, "qmarrowby-mark"]:
        assert marker.lower() not in text, marker


def test_markup_in_a_note_is_printed_as_text_and_fetches_nothing(recruiter):
    contact = ContactFactory(owner=recruiter)
    note = '<img src="http://example.invalid/track.png"> <b>bold</b>'
    activity = ActivityFactory(owner=recruiter, contacts=[contact], summary=note)
    EvidenceLink.objects.create(
        owner=recruiter, criterion=Criterion.objects.get(code="2.2"), activity=activity
    )

    text = pdf_text(read_pdf(build_zip(recruiter, by=recruiter)))

    assert '<img src="http://example.invalid/track.png">' in text
    assert "<b>bold</b>" in text


def test_the_pdf_shows_a_sign_off_with_its_assessor_and_comment(learner, assessor):
    assessor.first_name, assessor.last_name = "Ada", "Inspector"
    assessor.save()
    SignOff.objects.create(
        learner=learner,
        criterion=Criterion.objects.get(code="2.2"),
        assessor=assessor,
        comment="Quentavia's call shows proactive outreach.",
    )
    contact = learner.contacts.get(first_name="Quentavia")

    data = build_zip(learner, by=assessor)
    text = pdf_text(read_pdf(data))
    criteria = zipfile.ZipFile(io.BytesIO(data)).read("criteria.csv").decode()

    assert "Signed off by Ada Inspector" in text
    assert f"{pseudonym(contact)}'s call shows proactive outreach." in text
    assert "Quentavia" not in text and "Quentavia" not in criteria
    assert "Ada Inspector" in criteria


# Real names, by choice and with a reason


def test_a_pack_with_real_names_names_contacts_but_gives_no_contact_details(learner):
    data = build_zip(learner, by=learner, real_names=True, names_reason=NamesReason.WITNESS)
    archive = zipfile.ZipFile(io.BytesIO(data))
    contact = learner.contacts.get(first_name="Quentavia")
    named = f"Quentavia Marrowby ({pseudonym(contact)})"

    files = {n: archive.read(n) for n in archive.namelist()}
    files[PDF] = pdf_text(files[PDF]).encode()
    assert named in files["activities.json"].decode()
    assert named in files[PDF].decode()
    assert "confirming a testimony with its witness" in files["cover.json"].decode()
    for name, content in files.items():
        text = content.decode().lower()
        for marker in ["quentavia.m@markmail.test", "07700 900 461", "7700900461", "qmarrowby"]:
            assert marker not in text, (name, marker)


@pytest.fixture
def as_assessor(learner, assessor):
    Assignment.objects.create(assessor=assessor, learner=learner)
    return client_for(assessor)


def test_the_portfolio_offers_the_choice_closed_and_pseudonymised(as_assessor, learner):
    page = as_assessor.get(reverse("portfolio:learner", args=[learner.pk])).content.decode()

    assert "Show their real names instead?" in page
    assert '<details class="mb-2">' in page  # closed until asked for
    assert 'name="real_names"' in page and "checked" not in page.split('name="real_names"')[1][:40]


def test_an_export_is_pseudonymised_unless_names_are_asked_for(as_assessor, learner):
    response = as_assessor.post(reverse("portfolio:export_create", args=[learner.pk]))

    export = Export.objects.get()
    assert response.status_code == 302
    assert (export.real_names, export.names_reason, export.names_note) == (False, "", "")


def test_names_without_a_reason_are_refused_and_nothing_is_queued(as_assessor, learner):
    response = as_assessor.post(
        reverse("portfolio:export_create", args=[learner.pk]), {"real_names": "on"}
    )

    assert response.status_code == 400
    assert "Say why the pack needs names." in response.content.decode()
    assert "<details open" in response.content.decode()
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


def test_another_reason_must_be_said(as_assessor, learner):
    response = as_assessor.post(
        reverse("portfolio:export_create", args=[learner.pk]),
        {"real_names": "on", "names_reason": NamesReason.OTHER, "names_note": "   "},
    )

    assert response.status_code == 400
    assert "Say what the other reason is." in response.content.decode()
    assert not Export.objects.exists()


def test_an_unknown_reason_is_refused(as_assessor, learner):
    response = as_assessor.post(
        reverse("portfolio:export_create", args=[learner.pk]),
        {"real_names": "on", "names_reason": "curiosity"},
    )

    assert response.status_code == 400
    assert not Export.objects.exists()


def test_a_reason_without_asking_for_names_is_dropped(as_assessor, learner):
    as_assessor.post(
        reverse("portfolio:export_create", args=[learner.pk]),
        {"names_reason": NamesReason.APPEAL, "names_note": "spare"},
    )

    assert Export.objects.get().names_reason == ""


def test_names_with_a_reason_are_queued_and_audited(
    as_assessor, learner, assessor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_assessor.post(
            reverse("portfolio:export_create", args=[learner.pk]),
            {
                "real_names": "on",
                "names_reason": NamesReason.OTHER,
                "names_note": "Learner disputes a pseudonym mix-up",
            },
        )

    export = Export.objects.get()
    event = AuditEvent.objects.get(action=Action.EXPORTED, actor=assessor)
    page = as_assessor.get(response["Location"]).content.decode()
    pdf = as_assessor.get(reverse("portfolio:export_pdf", args=[export.pk]))
    assert export.real_names and export.names_reason == NamesReason.OTHER
    assert event.detail == f"portfolio pack {export.pk} requested with real names: " + (
        "another reason (say which)"
    )
    assert "mix-up" not in event.detail  # free text stays out of the audit log
    assert "Contacts are named (another reason (say which): Learner disputes" in page
    assert "Quentavia Marrowby" in pdf_text(pdf.content)


# The PDF download


def test_the_pdf_of_a_ready_pack_opens_in_the_browser(as_assessor, learner, assessor):
    export = Export.objects.create(learner=learner, requested_by=assessor)
    url = reverse("portfolio:export_pdf", args=[export.pk])
    assert as_assessor.get(url).status_code == 404  # not built yet

    from portfolio import services

    services.export_build(export_id=export.pk)
    response = as_assessor.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="netlog-portfolio-')
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(detail=f"pack {export.pk} pdf", actor=assessor).count() == 1
    page = as_assessor.get(reverse("portfolio:export_detail", args=[export.pk])).content.decode()
    assert url in page


def test_the_pdf_is_for_the_packs_readers_only(learner, teammate, assessor):
    from portfolio import services

    export = Export.objects.create(learner=learner, requested_by=learner)
    services.export_build(export_id=export.pk)
    url = reverse("portfolio:export_pdf", args=[export.pk])

    assert client_for(teammate).get(url).status_code == 404
    assert client_for(assessor).get(url).status_code == 404
    assert client_for(learner).get(url).status_code == 200


def test_an_expired_pack_loses_its_file_but_keeps_its_record(learner):
    from portfolio import services

    export = Export.objects.create(
        learner=learner, requested_by=learner, real_names=True, names_reason=NamesReason.APPEAL
    )
    services.export_build(export_id=export.pk)
    kept = Export.objects.create(learner=learner, requested_by=learner)
    services.export_build(export_id=kept.pk)
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )

    assert services.exports_expire() == 1
    assert services.exports_expire() == 0
    export.refresh_from_db()
    assert export.data is None and len(export.sha256) == 64
    assert export.names_reason == NamesReason.APPEAL and export.status == ExportStatus.DONE
    assert Export.objects.get(pk=kept.pk).data is not None


# The compliance summary


def _measure(learner, start: str) -> tuple[int, int]:
    row = next(r for r in compliance(learner) if r["measure"].startswith(start))
    return row["count"], row["of"]


def test_notices_count_as_on_time_only_by_their_deadline(recruiter):
    today = timezone.localdate()
    month_ago = timezone.now() - datetime.timedelta(days=40)

    def contact(created, delivered=None, channel=Channel.LINKEDIN):
        person = ContactFactory(owner=recruiter, source_channel=channel)
        Contact = type(person)
        Contact.objects.filter(pk=person.pk).update(
            created_at=created, notice_delivered_on=delivered
        )
        return Contact.objects.get(pk=person.pk)

    contact(month_ago, delivered=(month_ago + datetime.timedelta(days=5)).date())  # on time
    contact(month_ago, delivered=today)  # late: past the month
    contact(month_ago)  # overdue, not delivered
    contact(timezone.now())  # not yet due: not counted
    contacted = contact(timezone.now(), delivered=today)
    ActivityFactory(owner=recruiter, contacts=[contacted], date=today - datetime.timedelta(days=2))
    contact(month_ago, channel=Channel.INBOUND)  # from the person: no notice is owed

    # Due by now: the three a month old, and the one contacted before its notice.
    assert _measure(recruiter, "Privacy notices delivered on time") == (1, 4)


def test_requests_count_as_handled_on_time_by_their_deadline(recruiter, dpo):
    today = timezone.localdate()
    past = today - datetime.timedelta(days=60)

    def request(**fields):
        made = DataRequestFactory(received_on=past, due_on=past + datetime.timedelta(days=30))
        for name, value in fields.items():
            setattr(made, name, value)
        made.save()
        return made

    on_time = approved(request())
    on_time.status, on_time.completed_at = (
        Status.COMPLETED,
        timezone.now() - datetime.timedelta(days=45),
    )
    on_time.save()
    late = approved(request())
    late.status, late.completed_at = Status.COMPLETED, timezone.now()
    late.save()
    request(status=Status.REFUSED, decided_on=past, refusal_reason="Manifestly unfounded.")
    request()  # still open, past its deadline: late
    DataRequestFactory()  # open and not yet due: not judged

    assert _measure(recruiter, "Data requests") == (2, 4)


def test_the_lawful_basis_share_counts_the_learners_contacts_only(recruiter, teammate):
    ContactFactory(owner=recruiter)
    ContactFactory(owner=teammate)

    assert _measure(recruiter, "Contacts with a valid lawful basis") == (0, 1)


def test_a_notice_is_not_judged_by_an_activity_still_to_come(recruiter):
    today = timezone.localdate()
    person = ContactFactory(owner=recruiter, source_channel=Channel.REFERRAL)
    ActivityFactory(owner=recruiter, contacts=[person], date=today + datetime.timedelta(days=3))

    assert _measure(recruiter, "Privacy notices delivered on time") == (0, 0)


# Review fixes: personal contacts, fetching, erasure, queries


def test_real_names_never_name_a_personal_contact(learner):
    data = build_zip(learner, by=learner, real_names=True, names_reason=NamesReason.APPEAL)
    archive = zipfile.ZipFile(io.BytesIO(data))
    friend = learner.contacts.get(first_name="Zebedee")

    text = archive.read("activities.json").decode() + pdf_text(archive.read(PDF))
    assert "Zebedee" not in text and "Fairweather" not in text
    assert pseudonym(friend) in text


@pytest.fixture
def server():
    """A web server on this machine: (its address, the paths asked of it)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", hits
    httpd.shutdown()


def _pointing_at(base: str) -> list[str]:
    """Markup and CSS that would make a renderer fetch from `base`."""
    return [
        f'<img src="{base}/img.png">',
        f'<link rel="stylesheet" href="{base}/link.css">',
        f"<style>@import url({base}/import.css);</style>",
        f'<p style="background: url({base}/style.png)">x</p>',
        f"background-image: url('{base}/css.png')",
        f'<object data="{base}/object"></object><iframe src="{base}/frame"></iframe>',
        f'<svg><image href="{base}/svg.png"/></svg>',
    ]


def test_the_pdf_renderer_fetches_nothing_a_page_points_to(server):
    base, hits = server
    html = "<p>Hello</p>" + "".join(_pointing_at(base))

    pdf = html_to_pdf(html)
    weasyprint.HTML(string=f'<img src="{base}/control.png">').write_pdf()

    assert pdf.startswith(b"%PDF-") and "Hello" in pdf_text(pdf)
    assert hits == ["/control.png"]  # the default fetcher would have asked; ours did not


def _hostile_learner(owner, base: str) -> None:
    """URLs to `base` in every kind of text the PDF shows."""
    texts = iter(_pointing_at(base) * 2)
    contact = ContactFactory(owner=owner)
    activity = ActivityFactory(
        owner=owner, contacts=[contact], context=next(texts), summary=next(texts)
    )
    criterion = Criterion.objects.get(code="2.2")
    EvidenceLink.objects.create(owner=owner, criterion=criterion, activity=activity)
    Reflection.objects.create(owner=owner, title=next(texts), text=next(texts))
    OutcomeFactory(owner=owner, contacts=[contact], notes=next(texts))
    owner.first_name = next(texts)
    owner.save()


class _Fetchable(HTMLParser):
    """Where a page's URLs would be fetched from: the attributes that hold one, and
    style sheets."""

    URLS = {"src", "srcset", "href", "xlink:href", "data", "style", "background", "poster"}

    def __init__(self) -> None:
        super().__init__()
        self.places: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.places += [value or "" for name, value in attrs if name in self.URLS]
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.places.append(data)


def _fetchable(html: str) -> list[str]:
    parser = _Fetchable()
    parser.feed(html)
    return parser.places


def test_markup_in_the_learners_text_reaches_the_pdfs_html_escaped(recruiter, server):
    base, _ = server
    _hostile_learner(recruiter, base)

    html = render_to_string("portfolio/pack.html", {"pack": contents(recruiter, by=recruiter)})

    assert escape(f'<img src="{base}/img.png">') in html  # the text is there...
    assert not [place for place in _fetchable(html) if base in place]  # ...never as markup


def test_text_pointing_at_a_server_makes_the_pack_fetch_nothing(recruiter, server):
    base, hits = server
    _hostile_learner(recruiter, base)

    pdf = read_pdf(build_zip(recruiter, by=recruiter))

    assert hits == []
    assert f'<img src="{base}/img.png">' in pdf_text(pdf)


def test_the_packs_pdf_fetches_nothing_even_if_markup_reached_its_html(
    recruiter, server, monkeypatch
):
    """The second line of defence: if the template ever let markup through."""
    base, hits = server
    monkeypatch.setattr(
        portfolio.pdf, "render_to_string", lambda *args, **kwargs: "".join(_pointing_at(base))
    )

    assert read_pdf(build_zip(recruiter, by=recruiter)).startswith(b"%PDF-")
    assert hits == []


def test_an_erasure_removes_the_learners_packs_and_scrubs_the_reason(learner):
    from portfolio import services
    from privacy.services import person_erase

    export = Export.objects.create(
        learner=learner,
        requested_by=learner,
        real_names=True,
        names_reason=NamesReason.OTHER,
        names_note="Quentavia Marrowby asked for a copy",
    )
    services.export_build(export_id=export.pk)
    others = Export.objects.create(learner=ContactFactory().owner, requested_by=learner)
    services.export_build(export_id=others.pk)

    person_erase(contacts=[learner.contacts.get(first_name="Quentavia")])

    export.refresh_from_db()
    assert export.data is None and len(export.sha256) == 64
    assert "Quentavia" not in export.names_note and "Marrowby" not in export.names_note
    assert Export.objects.get(pk=others.pk).data is not None


def test_building_the_contents_takes_the_same_queries_however_much_there_is(
    learner, django_assert_num_queries
):
    with django_assert_num_queries(CONTENTS_QUERIES) as first:
        contents(learner, by=learner)
    for _ in range(3):
        person = ContactFactory(owner=learner)
        activity = ActivityFactory(owner=learner, contacts=[person])
        EvidenceLink.objects.create(
            owner=learner, criterion=Criterion.objects.get(code="3.1"), activity=activity
        )

    with django_assert_num_queries(len(first.captured_queries)):
        contents(learner, by=learner)


def test_the_pdf_log_shows_the_latest_activities_and_the_files_hold_all(recruiter, monkeypatch):
    monkeypatch.setattr(Contents, "log_rows", 2)
    contact = ContactFactory(owner=recruiter)
    for days, words in [(1, "Newest call"), (2, "Middle call"), (3, "Oldest call")]:
        ActivityFactory(
            owner=recruiter,
            contacts=[contact],
            summary=words,
            date=timezone.localdate() - datetime.timedelta(days=days),
        )

    data = build_zip(recruiter, by=recruiter)
    text = pdf_text(read_pdf(data))
    rows = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("activities.json"))

    assert "Newest call" in text and "Middle call" in text and "Oldest call" not in text
    assert "The 2 most recent of 3 activities" in text
    assert len(rows) == 3
