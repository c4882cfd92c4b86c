"""Building a portfolio pack as a job: requested on the page, built by the worker
with its progress saved as it goes, fetched while it is kept."""

import hashlib

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from netlog.jobs import send_on_commit
from portfolio import pack
from portfolio.models import Export, ExportStatus
from privacy.models import Action
from privacy.services import audit_log


@transaction.atomic
def export_request(
    *, learner: User, by: User, real_names: bool = False, names_reason: str = "", names_note=""
) -> Export:
    """Queue a pack. Pseudonymised unless `real_names`, which needs a reason; the
    audit log says which reason (never the note, which is free text)."""
    from portfolio import tasks

    export = Export.objects.create(
        learner=learner,
        requested_by=by,
        real_names=real_names,
        names_reason=names_reason if real_names else "",
        names_note=names_note if real_names else "",
    )
    detail = f"portfolio pack {export.pk} requested"
    if real_names:
        detail += f" with real names: {export.get_names_reason_display().lower()}"
    audit_log(actor=by, action=Action.EXPORTED, obj=learner, detail=detail)
    send_on_commit(
        tasks.build,
        export.pk,
        unsent=lambda: Export.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED),
    )
    return export


def _progress(export_id: int, percent: int) -> None:
    Export.objects.filter(pk=export_id).update(progress=percent)


def export_build(*, export_id: int) -> None:
    """Claim a queued export (conditional update: a redelivered job does nothing),
    build it, and save the file. A failure is recorded; the page says so."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.BUILDING, progress=5
    )
    if not claimed:
        return
    export = Export.objects.select_related("learner", "requested_by").get(pk=export_id)
    try:
        data = pack.build_zip(
            export.learner,
            by=export.requested_by,
            real_names=export.real_names,
            names_reason=export.names_reason,
            progress=lambda percent: _progress(export_id, percent),
        )
    except Exception:
        Export.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        raise
    Export.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        progress=100,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        finished_at=timezone.now(),
    )


def exports_expire() -> int:
    """Delete the files of packs past their keeping time; returns how many. The rows
    stay: who asked, when, with names or not and why, and the SHA-256 of what was
    issued."""
    stale = Export.objects.exclude(pk__in=Export.objects.kept().values("pk"))
    return stale.exclude(data=None).update(data=None)
