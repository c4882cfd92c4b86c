"""The portfolio as a checked ZIP: each section as CSV and JSON, a cover, and
MANIFEST.sha256 listing every file's SHA-256 so an assessor can tell nothing was
altered. Contacts are pseudonymised throughout. (The PDF and the export job with its
progress come with the next step.)"""

import csv
import hashlib
import io
import json
import zipfile
from datetime import date, datetime

from django.utils import timezone

from accounts.models import User
from contacts.models import Activity, Channel, Contact, Outcome
from netlog.csvsafe import safe_row
from portfolio.evidence import portfolio
from portfolio.pseudonyms import Pseudonymiser
from reviews.models import Reflection, Review, Testimony

MANIFEST = "MANIFEST.sha256"


def _activities(learner: User, names: Pseudonymiser) -> list[dict]:
    rows = []
    work = Activity.objects.filter(owner=learner).exclude(Activity.personal_rows())
    for a in work.prefetch_related("contacts"):
        rows.append(
            {
                "date": a.date,
                "type": a.get_type_display(),
                "with": "; ".join(names.contact(c) for c in a.contacts.all()),
                "context": names.text(a.context),
                "summary": names.text(a.summary),
                "outcome": names.text(a.outcome),
                "value": a.get_direction_display(),
            }
        )
    return rows


def sections(learner: User) -> dict[str, list[dict]]:
    names = Pseudonymiser(learner)
    evidence = []
    criteria = []
    for outcome, rows in portfolio(learner):
        for row, items in rows:
            criteria.append(
                {
                    "unit": outcome.unit.code,
                    "criterion": row.criterion.code,
                    "text": row.criterion.text,
                    "state": row.state,
                    "items": row.total,
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
    reviews = Review.objects.filter(owner=learner).exclude(Review.personal_rows())
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
            for t in Testimony.objects.filter(owner=learner).select_related("request__contact")
        ],
        "outcomes": [
            {
                "date": o.date,
                "kind": o.get_kind_display(),
                "value": o.value,
                "contacts": "; ".join(names.contact(c) for c in o.contacts.all()),
                "notes": names.text(o.notes),
            }
            for o in Outcome.objects.filter(owner=learner).prefetch_related("contacts")
        ],
        "compliance": _compliance(learner),
    }


def _compliance(learner: User) -> list[dict]:
    today = timezone.localdate()
    contacts = Contact.objects.filter(owner=learner)
    total = contacts.count()
    valid = contacts.with_valid_basis(today).count()
    indirect = contacts.filter(source_channel__in=Channel.indirect())
    sent = indirect.filter(notice_delivered_on__isnull=False).count()
    return [
        {"measure": "Contacts with a valid lawful basis", "count": valid, "of": total},
        {
            "measure": "Privacy notices sent where the data came from elsewhere",
            "count": sent,
            "of": indirect.count(),
        },
    ]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return ""
    return value if isinstance(value, int | float | bool | str) else str(value)


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    if rows:
        writer = csv.writer(out)
        writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(safe_row([_plain(v) for v in row.values()]))
    return out.getvalue().encode("utf-8")


def build_zip(learner: User, *, by: User, progress=lambda percent: None) -> bytes:
    files: dict[str, bytes] = {
        "cover.json": json.dumps(
            {
                "learner": learner.get_full_name() or learner.username,
                "generated_at": timezone.now().isoformat(timespec="seconds"),
                "generated_by": by.get_full_name() or by.username,
                "contacts": "pseudonymised",
            },
            indent=2,
        ).encode()
    }
    progress(10)
    parts = sections(learner)
    progress(60)
    for name, rows in parts.items():
        plain = [{k: _plain(v) for k, v in row.items()} for row in rows]
        files[f"{name}.json"] = json.dumps(plain, indent=2, ensure_ascii=False).encode()
        files[f"{name}.csv"] = _csv(rows)
    manifest = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items())
    )
    progress(80)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for path, data in sorted(files.items()):
            pack.writestr(path, data)
        pack.writestr(MANIFEST, manifest)
    return buffer.getvalue()


def verify_zip(data: bytes) -> list[str]:
    """What does not match the manifest; empty when the pack is as it was made."""
    try:
        pack = zipfile.ZipFile(io.BytesIO(data))
        names = set(pack.namelist())
        manifest = pack.read(MANIFEST).decode()
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return ["not a netlog pack: no readable ZIP with a manifest"]
    problems, listed = [], set()
    for line in manifest.splitlines():
        digest, _, path = line.partition("  ")
        listed.add(path)
        if path not in names:
            problems.append(f"{path}: missing")
        elif hashlib.sha256(pack.read(path)).hexdigest() != digest:
            problems.append(f"{path}: changed")
    problems += [f"{path}: not in the manifest" for path in sorted(names - listed - {MANIFEST})]
    return problems
