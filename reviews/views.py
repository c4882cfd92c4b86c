"""Reviews, stay in touch, reflections, evidence and coverage. Views only coordinate:
scope through netlog.access, rules in the models, reads in reviews.services."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role, User
from contacts.models import Activity, Contact, Kind, Outcome
from netlog.access import (
    can_edit,
    get_editable_or_404,
    get_visible_or_404,
    owners_visible_to,
    recruiter_required,
    role_required,
    visible_to,
)
from netlog.params import parse_id
from netlog.ratelimit import allow, client_address
from privacy.models import Action
from privacy.services import audit_log, sensitive_forget
from reviews import notify, services
from reviews.forms import (
    CadenceForm,
    EvidenceForm,
    KindCadenceForm,
    ManagerTestimonyForm,
    ReflectionForm,
    ReviewForm,
    TestimonyRequestForm,
    WitnessForm,
)
from reviews.health import network_health
from reviews.models import (
    DEFAULT_IDEAL_DAYS,
    DEFAULT_MAX_DAYS,
    Cadence,
    Criterion,
    EvidenceLink,
    Reflection,
    Review,
    Testimony,
    TestimonyRequest,
)
from reviews.reminders import digest_for

logger = logging.getLogger(__name__)

ATTENTION_SHOWN = 20  # of each list on the reviews page; the rest counted (reminders list 50)


def _save(request: HttpRequest, form, message: str):
    """Save a valid form in one transaction with its audit entry; None if invalid."""
    if request.method != "POST" or not form.is_valid():
        return None
    adding = form.instance._state.adding
    with transaction.atomic():
        obj = form.save()
        audit_log(actor=request.user, action=Action.CREATED if adding else Action.CHANGED, obj=obj)
    messages.success(request, message)
    return obj


# Reviews


@require_safe
def reviews_home(request: HttpRequest) -> HttpResponse:
    """Who needs attention (stay in touch, most overdue first), reviews due, open next
    actions and recent reviews, for the contacts the user may see."""
    today = timezone.localdate()
    contacts = visible_to(Contact.objects.all(), request.user)
    counts = services.attention_counts(contacts, today)
    reviews = visible_to(Review.objects.all(), request.user).select_related("contact", "owner")
    return render(
        request,
        "reviews/home.html",
        {
            "attention": services.attention(contacts, today, only="needing", limit=ATTENTION_SHOWN),
            "attention_total": counts["overdue"] + counts["due"],
            "reviews_due_total": counts["review_due"],
            "reviews_due": services.attention(
                contacts, today, only="review_due", limit=ATTENTION_SHOWN
            ),
            "actions": reviews.actions_open().order_by("next_action_on", "id")[:ATTENTION_SHOWN],
            "recent": reviews[:20],
            "today": today,
            "shown": ATTENTION_SHOWN,
        },
    )


def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    if contact.kind == Kind.PERSONAL:
        messages.error(request, "Personal / social contacts are not reviewed as networking.")
        return redirect(contact)
    today = timezone.localdate()
    suggestion = services.suggest_activity_score(contact, today)
    form = ReviewForm(
        request.POST or None,
        owner=request.user,
        contact=contact,
        initial={"activity": suggestion, "reviewed_on": today},
        suggestion=suggestion,
    )
    if review := _save(request, form, "Review saved."):
        return redirect(review)
    return render(
        request,
        "reviews/review_form.html",
        {
            "form": form,
            "contact": contact,
            "suggestion": suggestion,
            "history": contact.reviews.all()[:5],
            "recent": contact.activities.order_by("-date", "-id")[:5],
        },
    )


@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_visible_or_404(
        Review.objects.select_related("contact", "owner"), request.user, pk=pk
    )
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "editable": can_edit(review, request.user),
            "criteria": Criterion.objects.filter(links__review=review),
            "today": timezone.localdate(),
        },
    )


@require_POST
def review_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_editable_or_404(Review.objects.all(), request.user, pk=pk)
    with transaction.atomic():
        # Conditional update: a double click marks it done once.
        done = Review.objects.actions_open().filter(pk=review.pk)
        if done.update(next_action_done_at=timezone.now()):
            audit_log(actor=request.user, action=Action.CHANGED, obj=review, detail="action done")
    messages.success(request, "Next action marked as done.")
    return redirect(review)


# Stay in touch


def cadence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    own = Cadence.objects.filter(contact=contact).first()
    initial = {"ideal_days": own.ideal_days, "max_days": own.max_days} if own else {}
    form = CadenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.cadence_set(contact=contact, by=request.user, **form.cleaned_data)
        messages.success(request, "Stay-in-touch cadence saved.")
        return redirect(contact)
    return render(request, "reviews/cadence_form.html", {"form": form, "contact": contact})


@recruiter_required
def cadence_kinds(request: HttpRequest) -> HttpResponse:
    """The recruiter's cadence per relationship kind (personal / social has none)."""
    kinds = [(value, label) for value, label in Kind.choices if value != Kind.PERSONAL]
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms = {}
    for value, label in kinds:
        instance = Cadence.objects.filter(owner=request.user, kind=value).first()
        instance = instance or Cadence(owner=request.user, kind=value)
        data = request.POST if kind == value else None
        forms[value] = (label, KindCadenceForm(data, instance=instance, prefix=value))
    if kind in forms and _save(request, forms[kind][1], "Cadence saved."):
        return redirect("reviews:cadence_kinds")
    return render(
        request,
        "reviews/cadence_kinds.html",
        {
            "forms": forms.values(),
            "ideal": DEFAULT_IDEAL_DAYS,
            "max": DEFAULT_MAX_DAYS,
        },
    )


# Reflections


@require_safe
def reflection_list(request: HttpRequest) -> HttpResponse:
    reflections = visible_to(Reflection.objects.select_related("owner"), request.user)
    return render(request, "reviews/reflection_list.html", {"reflections": reflections[:100]})


@recruiter_required
def reflection_create(request: HttpRequest) -> HttpResponse:
    form = ReflectionForm(request.POST or None, owner=request.user)
    if reflection := _save(request, form, "Reflection saved."):
        return redirect(reflection)
    return render(request, "reviews/reflection_form.html", {"form": form})


def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_editable_or_404(Reflection.objects.all(), request.user, pk=pk)
    form = ReflectionForm(request.POST or None, instance=reflection, owner=request.user)
    if saved := _save(request, form, "Reflection saved."):
        return redirect(saved)
    return render(request, "reviews/reflection_form.html", {"form": form, "reflection": reflection})


@require_safe
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_visible_or_404(Reflection.objects.select_related("owner"), request.user, pk=pk)
    return render(
        request,
        "reviews/reflection_detail.html",
        {
            "reflection": reflection,
            "editable": can_edit(reflection, request.user),
            "contacts": visible_to(reflection.contacts.all(), request.user),
            "activities": visible_to(reflection.activities.all(), request.user),
            "reviews": visible_to(reflection.reviews.select_related("contact"), request.user),
            "criteria": Criterion.objects.filter(links__reflection=reflection),
        },
    )


@require_POST
def reflection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_editable_or_404(Reflection.objects.all(), request.user, pk=pk)
    with transaction.atomic():
        audit_log(actor=request.user, action=Action.DELETED, obj=reflection)
        sensitive_forget(reflection)
        reflection.delete()
    messages.success(request, "Reflection deleted.")
    return redirect("reviews:reflection_list")


# Evidence and coverage

EVIDENCE = {
    "activity": Activity,
    "review": Review,
    "reflection": Reflection,
    "testimony": Testimony,
    "outcome": Outcome,
}


def evidence_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Link one of the user's own items to the criteria it evidences."""
    if kind not in EVIDENCE:
        raise Http404("No such kind of evidence.")
    items = EVIDENCE[kind].objects.all()
    if hasattr(items.model, "personal_rows"):  # private life is no evidence
        items = items.exclude(items.model.personal_rows())
    item = get_editable_or_404(items, request.user, pk=pk)
    linked = Criterion.objects.filter(**{f"links__{kind}": item})
    posted = request.POST if request.method == "POST" else None
    form = EvidenceForm(posted, initial={"criteria": linked})
    if posted is not None and form.is_valid():
        with transaction.atomic():
            services.evidence_set(
                item=item, kind=kind, by=request.user, criteria=list(form.cleaned_data["criteria"])
            )
            audit_log(actor=request.user, action=Action.CHANGED, obj=item, detail="criteria linked")
        messages.success(request, "Criteria saved.")
        return redirect(item.get_absolute_url())
    return render(
        request,
        "reviews/evidence_form.html",
        {"form": form, "item": item, "kind": kind, "outcomes": services.coverage(request.user)},
    )


def _learner(request: HttpRequest) -> tuple:
    """Whose evidence to show: a recruiter's own; for a manager (or the DPO) the
    chosen ?learner= among those they may read, else the first of them."""
    learners = owners_visible_to(request.user)
    if request.user.role == Role.RECRUITER:
        return learners, request.user
    chosen = learners.filter(pk=parse_id(request.GET.get("learner"))).first()
    return learners, chosen or learners.first()


@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    """The learner's coverage matrix: their own, or for a manager a team member's."""
    learners, learner = _learner(request)
    return render(
        request,
        "reviews/coverage.html",
        {
            "learner": learner,
            "learners": learners if request.user.role != Role.RECRUITER else User.objects.none(),
            "outcomes": services.coverage(learner) if learner else [],
            "kinds": EvidenceLink.ITEMS,
        },
    )


# Testimonies


@require_safe
def testimony_list(request: HttpRequest) -> HttpResponse:
    testimonies = visible_to(Testimony.objects.select_related("owner", "author"), request.user)
    requests = TestimonyRequest.objects.none()
    if request.user.role == Role.RECRUITER:
        requests = request.user.testimony_requests.select_related("contact", "testimony")[:50]
    return render(
        request,
        "reviews/testimony_list.html",
        {"testimonies": testimonies[:100], "requests": requests, "now": timezone.now()},
    )


@require_safe
def testimony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    testimony = get_visible_or_404(
        Testimony.objects.select_related("owner", "author"), request.user, pk=pk
    )
    return render(
        request,
        "reviews/testimony_detail.html",
        {
            "testimony": testimony,
            "editable": can_edit(testimony, request.user),
            "activities": visible_to(testimony.activities.all(), request.user),
            "criteria": Criterion.objects.filter(links__testimony=testimony),
        },
    )


@role_required(Role.MANAGER, "Only a manager writes testimonies for their team.")
def testimony_write(request: HttpRequest) -> HttpResponse:
    """Choose a recruiter in the team (?recruiter=), then write and sign."""
    team = owners_visible_to(request.user)
    recruiter = team.filter(pk=parse_id(request.GET.get("recruiter"))).first()
    if recruiter is None:
        return render(request, "reviews/testimony_choose.html", {"team": team})
    form = ManagerTestimonyForm(request.POST or None, recruiter=recruiter, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            testimony = services.testimony_write(
                author=request.user,
                owner=recruiter,
                activities=list(data["activities"]),
                witness_role=data["witness_role"],
                text=data["text"],
            )
            form._record_justification(testimony, by=request.user)
        messages.success(request, "Testimony signed.")
        return redirect(testimony)
    return render(request, "reviews/testimony_write.html", {"form": form, "recruiter": recruiter})


def testimony_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    if contact.kind == Kind.PERSONAL:
        messages.error(request, "Testimonies are about networking: ask a professional contact.")
        return redirect(contact)
    form = TestimonyRequestForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        testimony_request, token = services.testimony_request_create(
            contact=contact,
            by=request.user,
            activities=list(data["activities"]),
            message=data["message"],
        )
        link = request.build_absolute_uri(f"{reverse('reviews:testimony_public')}?t={token}")
        emailed = False
        if data.get("send_email"):
            try:
                notify.testimony_request_send(testimony_request, link=link)
                emailed = True
            except OSError:
                # The link is shown below all the same; no address in the log.
                logger.warning("Testimony request email %s failed", testimony_request.pk)
                messages.warning(request, "The email could not be sent: copy the link instead.")
        # The link is shown now and never again: only its hash is kept.
        response = render(
            request,
            "reviews/testimony_request_link.html",
            {"contact": contact, "link": link, "request_sent": emailed},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request, "reviews/testimony_request_form.html", {"form": form, "contact": contact}
    )


TOKEN_SESSION_KEY = "testimony_token"
# What anyone may do on the public testimony page before being slowed down.
PUBLIC_HITS, PUBLIC_WINDOW = 30, 15 * 60


@login_not_required
def testimony_public(request: HttpRequest) -> HttpResponse:
    """An external witness's page: no account, a single-use link that expires. As with
    Django's password reset, the link's token is moved into the session at once and the
    browser redirected to the bare page, so the token is not left in the address bar,
    the history or any log that keeps query strings. Every failure looks the same."""
    if not allow(
        f"testimony:{client_address(request)}", limit=PUBLIC_HITS, window_seconds=PUBLIC_WINDOW
    ):
        return render(request, "reviews/public/testimony_slow_down.html", status=429)
    if request.method == "GET" and "t" in request.GET:
        request.session[TOKEN_SESSION_KEY] = request.GET["t"]
        return redirect("reviews:testimony_public")
    token = request.session.get(TOKEN_SESSION_KEY) or request.POST.get("t") or ""
    try:
        testimony_request = services.testimony_request_open(token)
    except services.LinkInvalid:
        return render(request, "reviews/public/testimony_invalid.html", status=404)
    form = WitnessForm(
        request.POST or None, initial={"witness_name": testimony_request.contact.name}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            services.testimony_submit(token=token, **data)
        except services.LinkInvalid:
            return render(request, "reviews/public/testimony_invalid.html", status=404)
        request.session.pop(TOKEN_SESSION_KEY, None)
        return render(request, "reviews/public/testimony_thanks.html")
    response = render(
        request,
        "reviews/public/testimony_form.html",
        {"form": form, "req": testimony_request},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """Network health: charts of activity, contacts, reviews, reciprocity, outcomes by
    channel and evidence coverage, each with its numbers as a table."""
    learners, learner = _learner(request)
    context = network_health(request.user, timezone.localdate(), learner)
    return render(
        request,
        "reviews/health.html",
        {**context, "learner": learner, "learners": learners if learner != request.user else []},
    )


@require_safe
def reminders(request: HttpRequest) -> HttpResponse:
    """Today's digest in the app: the same list the daily email counts."""
    digest = digest_for(request.user, timezone.localdate())
    return render(request, "reviews/reminders.html", {"digest": digest})
