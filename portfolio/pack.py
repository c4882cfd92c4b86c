"""The portfolio pack: a PDF for reading and, beside it, every section as CSV and JSON,
in a ZIP whose MANIFEST.sha256 lists every file's SHA-256 so an assessor can tell
nothing was altered. Contacts are pseudonymised unless the pack was asked for with
their names (and a reason)."""

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from accounts.models import User
from contacts.models import Activity, Channel, Contact, Outcome
from netlog.csvsafe import SafeWriter
from portfolio.evidence import portfolio
from portfolio.models import NamesReason
from portfolio.pdf import render_pdf
from portfolio.pseudonyms import Pseudonymiser
from privacy.models import DataRequest, Status
from reviews.models import EvidenceLink, Reflection, Review, Testimony

MANIFEST = "MANIFEST.sha256"
PDF = "portfolio.pdf"


@dataclass
class Contents:
    """Everything one pack shows: the PDF and the CSV/JSON files are made from this."""

    learner: User
    cover: dict
    outcomes: list  # portfolio.evidence.portfolio(): criteria with their evidence
    sections: dict[str, list[dict]]

    @property
    def matrix(self) -> list[tuple]:
        """The coverage matrix's rows, as reviews/_coverage_table.html takes them."""
        return [(outcome, [row for row, _ in rows]) for outcome, rows in self.outcomes]

    kinds = EvidenceLink.ITEMS
    # The PDF is for reading: its networking log shows the most recent activities (a
    # busy recruiter logs thousands a year); the CSV and JSON hold every one.
    log_rows = 500


def _activities(learner: User, names: Pseudonymiser) -> list[dict]:
    work = Activity.objects.filter(owner=learner).exclude(Activity.personal_rows())
    return [
        {
            "date": a.date,
            "type": a.get_type_display(),
            "with": "; ".join(names.contact(c) for c in a.contacts.all()),
            "context": names.text(a.context),
            "summary": names.text(a.summary),
            "outcome": names.text(a.outcome),
            "value": a.get_direction_display(),
        }
        for a in work.prefetch_related("contacts")
    ]


def _criteria(outcomes: list) -> tuple[list[dict], list[dict]]:
    criteria, evidence = [], []
    for outcome, rows in outcomes:
        for row, items in rows:
            signed = row.sign_off
            criteria.append(
                {
                    "unit": outcome.unit.code,
                    "criterion": row.criterion.code,
                    "text": row.criterion.text,
                    "state": row.state,
                    "items": row.total,
                    "signed_off_on": timezone.localtime(signed.signed_at).date() if signed else "",
                    "signed_off_by": (signed.assessor.get_full_name() or signed.assessor.username)
                    if signed
                    else "",
                    "comment": row.comment,
                }
            )
            evidence += [
                {
                    "criterion": row.criterion.code,
                    "kind": i.kind,
                    "date": i.date,
                    "title": i.title,
                    "text": i.text,
                }
                for i in items
            ]
    return criteria, evidence


def _outcomes(learner: User, names: Pseudonymiser) -> list[dict]:
    """Recruitment results with the contacts and activities they came from."""
    outcomes = Outcome.objects.filter(owner=learner).prefetch_related("contacts", "activities")
    return [
        {
            "date": o.date,
            "kind": o.get_kind_display(),
            "value": o.value,
            "contacts": "; ".join(names.contact(c) for c in o.contacts.all()),
            "activities": "; ".join(
                f"{a.get_type_display()} on {a.date:%d/%m/%Y}" for a in o.activities.all()
            ),
            "notes": names.text(o.notes),
        }
        for o in outcomes
    ]


def sections(learner: User, names: Pseudonymiser, outcomes: list) -> dict[str, list[dict]]:
    criteria, evidence = _criteria(outcomes)
    reviews = Review.objects.filter(owner=learner).exclude(Review.personal_rows())
    testimonies = Testimony.objects.filter(owner=learner).select_related("request__contact")
    return {
        "criteria": criteria,
        "evidence": evidence,
        "activities": _activities(learner, names),
        "reviews": [
            {
                "date": r.reviewed_on,
                "contact": names.contact(r.contact) if r.contact else "no longer held",
                "value": r.value,
                "activity": r.activity,
                "potential": r.potential,
                "decision": r.get_decision_display(),
                "rationale": names.text(r.rationale),
            }
            for r in reviews.select_related("contact")
        ],
        "reflections": [
            {"date": r.written_on, "title": names.text(r.title), "text": names.text(r.text)}
            for r in Reflection.objects.filter(owner=learner)
        ],
        "testimonies": [
            {
                "signed_on": t.signed_on,
                "signed_by": names.contact(t.request.contact)
                if t.request and t.request.contact_id
                else names.text(t.witness_name),
                "relationship": t.get_relationship_display(),
                "statement": names.text(t.text),
                "checksum": t.checksum,
                "intact": t.is_intact,
            }
            for t in testimonies
        ],
        "outcomes": _outcomes(learner, names),
        "compliance": compliance(learner),
    }


def _notices_on_time(learner: User, today: date) -> tuple[int, int]:
    """Art. 14 notices delivered by their deadline, of those due by `today`."""
    indirect = Contact.objects.filter(owner=learner, source_channel__in=Channel.indirect())
    first = Min("activities__date", filter=Q(activities__date__lte=today))
    on_time = due = 0
    for contact in indirect.annotate(first_contact=first):
        deadline = contact.notice_deadline(contact.first_contact)
        delivered = contact.notice_delivered_on
        if delivered or contact.first_contact or deadline < today:
            due += 1
            on_time += bool(delivered and delivered <= deadline)
    return on_time, due


def _requests_on_time(today: date) -> tuple[int, int]:
    """The agency's erasure and access requests closed by their deadline, of those
    closed or past it. Agency-wide: an erased contact no longer says whose it was."""
    on_time = Q(status=Status.COMPLETED, completed_at__date__lte=F("due_on"))
    on_time |= Q(status=Status.REFUSED, decided_on__lte=F("due_on"))
    judged = Q(status__in=[Status.COMPLETED, Status.REFUSED]) | Q(due_on__lt=today)
    counts = DataRequest.objects.aggregate(
        on_time=Count("pk", filter=on_time), of=Count("pk", filter=judged)
    )
    return counts["on_time"], counts["of"]


def compliance(learner: User) -> list[dict]:
    today = timezone.localdate()
    contacts = Contact.objects.filter(owner=learner)
    notices, notices_due = _notices_on_time(learner, today)
    requests, requests_due = _requests_on_time(today)
    return [
        {
            "measure": "Contacts with a valid lawful basis",
            "count": contacts.with_valid_basis(today).count(),
            "of": contacts.count(),
        },
        {
            "measure": "Privacy notices delivered on time (data obtained from elsewhere)",
            "count": notices,
            "of": notices_due,
        },
        {
            "measure": "Data requests to the agency handled within their deadline",
            "count": requests,
            "of": requests_due,
        },
    ]


def _period(parts: dict[str, list[dict]]) -> str:
    dated = [
        row[key]
        for name in ("activities", "reviews", "reflections", "testimonies", "outcomes")
        for row in parts[name]
        for key in ("date", "signed_on")
        if isinstance(row.get(key), date)
    ]
    if not dated:
        return "no dated evidence yet"
    return f"{min(dated):%-d %B %Y} to {max(dated):%-d %B %Y}"


def contents(
    learner: User, *, by: User, real_names: bool = False, names_reason: str = ""
) -> Contents:
    names = Pseudonymiser(learner, real_names=real_names)
    outcomes = portfolio(learner, names)
    parts = sections(learner, names, outcomes)
    units = {o.unit.pk: o.unit for o, _ in outcomes}
    cover = {
        "learner": learner.get_full_name() or learner.username,
        "units": [f"{u.code} {u.title}" for u in units.values()],
        "period": _period(parts),
        "generated_at": timezone.localtime().replace(microsecond=0),
        "generated_by": by.get_full_name() or by.username,
        "contacts": (
            f"named, because: {NamesReason(names_reason).label.lower()}"
            if real_names
            else "pseudonymised"
        ),
    }
    return Contents(learner=learner, cover=cover, outcomes=outcomes, sections=parts)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return ""
    return value if isinstance(value, int | float | bool | str) else str(value)


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    if rows:
        writer = SafeWriter(out)
        writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(_plain(v) for v in row.values())
    return out.getvalue().encode("utf-8")


def build_zip(
    learner: User,
    *,
    by: User,
    real_names: bool = False,
    names_reason: str = "",
    progress=lambda percent: None,
) -> bytes:
    progress(10)
    pack = contents(learner, by=by, real_names=real_names, names_reason=names_reason)
    progress(40)
    cover = json.dumps(pack.cover, indent=2, default=_plain, ensure_ascii=False)
    files: dict[str, bytes] = {"cover.json": cover.encode()}
    for name, rows in pack.sections.items():
        plain = [{k: _plain(v) for k, v in row.items()} for row in rows]
        files[f"{name}.json"] = json.dumps(plain, indent=2, ensure_ascii=False).encode()
        files[f"{name}.csv"] = _csv(rows)
    progress(50)
    files[PDF] = render_pdf(pack)
    progress(90)
    manifest = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items())
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
        archive.writestr(MANIFEST, manifest)
    return buffer.getvalue()


def read_pdf(data: bytes) -> bytes:
    """The PDF inside a pack."""
    return zipfile.ZipFile(io.BytesIO(data)).read(PDF)


# Anyone signed in may upload a file to check: larger ones are refused unread, and so is
# a ZIP whose files would unpack to more than this (a "ZIP bomb"). A pack at agency
# scale is a few MB.
VERIFY_MAX_BYTES = 50 * 1024 * 1024
VERIFY_MAX_UNPACKED_BYTES = 500 * 1024 * 1024


def _sha256(pack: zipfile.ZipFile, path: str) -> str:
    """A file's SHA-256, read a megabyte at a time (zipfile stops at its stated size)."""
    digest = hashlib.sha256()
    with pack.open(path) as unpacked:
        while chunk := unpacked.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def verify_zip(data: bytes) -> list[str]:
    """What does not match the manifest; empty when the pack is as it was made."""
    try:
        pack = zipfile.ZipFile(io.BytesIO(data))
        names = set(pack.namelist())
        if sum(info.file_size for info in pack.infolist()) > VERIFY_MAX_UNPACKED_BYTES:
            return ["not a netlog pack: it unpacks to far more than any pack"]
        manifest = pack.read(MANIFEST).decode()
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return ["not a netlog pack: no readable ZIP with a manifest"]
    problems, listed = [], set()
    for line in manifest.splitlines():
        digest, _, path = line.partition("  ")
        listed.add(path)
        if path not in names:
            problems.append(f"{_shown(path)}: missing")
        else:
            try:
                if _sha256(pack, path) != digest:
                    problems.append(f"{_shown(path)}: changed")
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError):
                # corrupt, encrypted, unknown method
                problems.append(f"{_shown(path)}: unreadable")
    unlisted = sorted(names - listed - {MANIFEST})
    problems += [f"{_shown(path)}: not in the manifest" for path in unlisted]
    return problems


def _shown(path: str) -> str:
    """A file name from the uploaded ZIP as it may be shown: control characters (a
    terminal's escape codes, line breaks) written as escapes, such as \\x1b."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)
