"""Recording a contact's lawful basis and consent. The history itself is shown on the
contact's page (contacts/contact_detail.html)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from consent import services
from consent.forms import BasisForm, ConsentForm, WithdrawForm
from contacts.models import Contact
from netlog.access import get_editable_or_404


def _record(
    request: HttpRequest, pk: int, form_class, save, *, title: str, done: str
) -> HttpResponse:
    """Show `form_class` for the user's own contact; a valid POST calls `save`."""
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    form = form_class(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        save(contact=contact, by=request.user, **form.cleaned_data)
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
