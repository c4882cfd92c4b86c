"""An access request's answer (UK GDPR Art. 15): everything held about the person,
as plain data that the readable page and the JSON download both show."""

from django.db.models import Q
from django.utils import timezone

from contacts.models import Contact
from privacy.models import DataRequest, SensitiveCategory, SensitiveConfirmation


def subject_data(request: DataRequest) -> dict:
    """Everything held about the person in the contacts linked to `request`, as plain
    data: the readable page and the JSON download both show this."""
    contacts = request.contacts.select_related("owner").prefetch_related(
        "tags",
        "basis_history",
        "consent_history__notice",
        "notice_deliveries__notice",
        "disclosures",
        "activities__contacts",
        "outcomes",
        "reviews",
        "reflections",
        "testimony_requests__testimony",
    )
    return {
        "request": {
            "reference": request.pk,
            "received_on": request.received_on.isoformat(),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        },
        "records": [_contact_data(c) for c in contacts.order_by("id")],
    }


def _contact_data(c: Contact) -> dict:
    return {
        "held_by": c.owner.get_full_name() or c.owner.username,
        "name": c.name,
        "relationship": c.get_kind_display(),
        "how_we_met": c.get_source_channel_display(),
        "organisation": c.organisation,
        "job_title": c.role,
        "email": c.email,
        "phone": c.phone,
        "profile_url": c.profile_url,
        "tags": [t.name for t in c.tags.all()],
        "notes": c.notes,
        "added_on": c.created_at.date().isoformat(),
        "lawful_basis": [
            {
                "basis": r.get_basis_display(),
                "recorded_on": r.recorded_at.date().isoformat(),
                "assessment": {
                    "purpose": r.li_purpose,
                    "necessity": r.li_necessity,
                    "balance": r.li_balance,
                }
                if r.li_purpose
                else None,
            }
            for r in c.basis_history.all()
        ],
        "consent": [
            {
                "event": r.get_event_display(),
                "on": r.on.isoformat(),
                "how": r.get_method_display(),
                "purposes": r.purpose_labels(),
                "notice_version": r.notice.version if r.notice else None,
                "expires_on": r.expires_on.isoformat() if r.expires_on else None,
            }
            for r in c.consent_history.all()
        ],
        "privacy_notices_sent": [
            {"version": d.notice.version, "on": d.delivered_on.isoformat()}
            for d in c.notice_deliveries.all()
        ],
        "shared_with": [
            {
                "recipient": d.recipient,
                "what": d.get_what_display(),
                "on": d.disclosed_on.isoformat(),
            }
            for d in c.disclosures.all()
        ],
        "activities": [
            {
                "date": a.date.isoformat(),
                "type": a.get_type_display(),
                "context": a.context,
                "summary": a.summary,
                "outcome": a.outcome,
                # Others took part: check the text for their data before sending it.
                "involves_others": len(a.contacts.all()) > 1,
            }
            for a in c.activities.all()
        ],
        "sensitive_data_kept": [
            {
                "on": j.recorded_at.date().isoformat(),
                "categories": [SensitiveCategory(k).label for k in j.categories],
                "why": j.justification,
            }
            for j in SensitiveConfirmation.objects.filter(
                Q(object_type="contacts.contact", object_id=c.pk)
                | Q(
                    object_type="contacts.activity",
                    object_id__in=[a.pk for a in c.activities.all()],
                )
            ).order_by("recorded_at", "id")
        ],
        "outcomes": [
            {"kind": o.get_kind_display(), "date": o.date.isoformat(), "notes": o.notes}
            for o in c.outcomes.all()
        ],
        # Evaluations of a person are personal data too.
        "reviews_of_you": [
            {
                "date": r.reviewed_on.isoformat(),
                "value": r.value,
                "activity": r.activity,
                "potential": r.potential,
                "rationale": r.rationale,
                "decision": r.get_decision_display(),
                "next_actions": r.next_actions,
            }
            for r in c.reviews.all()
        ],
        "reflections_about_you": [
            {"date": r.written_on.isoformat(), "title": r.title, "text": r.text}
            for r in c.reflections.all()
        ],
        "testimonies_asked_of_you": [
            {
                "asked_on": t.created_at.date().isoformat(),
                "message": t.message,
                "answered": _testimony(t),
            }
            for t in c.testimony_requests.all()
        ],
    }


def _testimony(request) -> dict | None:
    testimony = getattr(request, "testimony", None)
    if testimony is None:
        return None
    return {
        "signed_on": testimony.signed_on.isoformat(),
        "name": testimony.witness_name,
        "role": testimony.witness_role,
        "relationship": testimony.get_relationship_display(),
        "statement": testimony.text,
    }
