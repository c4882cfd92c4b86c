"""Recording a contact's lawful basis and consent. The history itself is shown on the
contact's page (contacts/contact_detail.html)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from consent import services
from consent.forms import (
    BasisForm,
    ConsentForm,
    DeliveryForm,
    DisclosureForm,
    NoticeForm,
    WithdrawForm,
)
from consent.models import PrivacyNotice
from contacts.models import Contact
from netlog.access import dpo_required, get_editable_or_404, visible_to
from privacy.models import Action
from privacy.services import audit_log


def _record(
    request: HttpRequest, pk: int, form_class, save, *, title: str, done: str
) -> HttpResponse:
    """Show `form_class` for the user's own contact; a valid POST calls `save`."""
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    form = form_class(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            save(contact=contact, by=request.user, **form.cleaned_data)
            audit_log(actor=request.user, action=Action.CHANGED, obj=contact, detail=done)
        messages.success(request, done)
        return redirect(contact)
    return render(
        request, "consent/record_form.html", {"form": form, "contact": contact, "title": title}
    )


def basis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        BasisForm,
        services.basis_record,
        title="Record the lawful basis",
        done="Lawful basis recorded.",
    )


def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        ConsentForm,
        services.consent_record,
        title="Record consent",
        done="Consent recorded.",
    )


def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        WithdrawForm,
        services.consent_withdraw,
        title="Record a withdrawal of consent",
        done="Withdrawal recorded.",
    )


def notice_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        DeliveryForm,
        services.notice_deliver,
        title="Record a privacy notice sent",
        done="Privacy notice delivery recorded.",
    )


def disclosure_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        DisclosureForm,
        services.disclosure_record,
        title="Record data shared with a third party",
        done="Disclosure recorded.",
    )


NOTICES_SHOWN = 200


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What is due under Art. 14 for the contacts the user may see; for the DPO, also the
    notice versions."""
    today = timezone.localdate()
    outstanding = visible_to(Contact.objects.all(), request.user).notice_outstanding()
    rows = [
        (contact, contact.notice_state(today, contacted=contact.contacted))
        for contact in outstanding.select_related("owner").order_by("created_at", "id")[
            : NOTICES_SHOWN + 1
        ]
    ]
    truncated = len(rows) > NOTICES_SHOWN
    rows = rows[:NOTICES_SHOWN]
    return render(
        request,
        "consent/privacy.html",
        {
            "overdue": [c for c, state in rows if state == "overdue"],
            "due": [c for c, state in rows if state == "due"],
            "shown_limit": NOTICES_SHOWN,
            "truncated": truncated,
            "notices": PrivacyNotice.objects.all()[:10],
        },
    )


@dpo_required
def notice_publish(request: HttpRequest) -> HttpResponse:
    latest = PrivacyNotice.objects.first()
    form = NoticeForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            notice = services.notice_publish(text=form.cleaned_data["text"])
            audit_log(actor=request.user, action=Action.CREATED, obj=notice)
        messages.success(request, f"Privacy notice version {notice.version} published.")
        return redirect("consent:privacy")
    return render(request, "consent/notice_form.html", {"form": form, "latest": latest})
