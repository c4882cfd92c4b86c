"""What the hostile-input browser tests share: a world whose every free-text field holds
a payload (tests/hostile_fields.py lists the fields and the payloads), and the checks
made on each page opened over it.

A page passes when it shows the payload as text and runs none of it: nothing set
window.pwned, no element carries an event handler or a javascript: URL, there is no
inline script, and (conftest's checks, on every browser test) the Content Security
Policy refused nothing, which an unescaped <script> or handler would trip.

Each field's payload carries the field's tag (tests/hostile_fields.py), and every page
checked notes the tags its text shows: at the end of a role's test,
assert_fields_shown() fails for a field listed as covered for that role which none of
the pages shown to it showed."""

import datetime
import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.apps import apps
from django.db.models import Model, Q
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role, Team, User
from consent.models import (
    BankHoliday,
    Basis,
    Disclosed,
    Disclosure,
    LawfulBasisRecord,
    PrivacyNotice,
)
from consent.services import basis_record, disclosure_record, notice_publish
from contacts.models import Activity, Channel, Contact, Kind, Outcome, Tag
from portfolio.models import Assignment, Export, ExportStatus, NamesReason
from privacy.models import DataRequest, RequestKind, SensitiveConfirmation, SensitiveTerm, Status
from privacy.services import erasure_carry_out
from reviews.models import (
    Criterion,
    EvidenceLink,
    LearningOutcome,
    Reflection,
    Review,
    SignOff,
    Testimony,
    TestimonyRequest,
    Unit,
    WitnessRelationship,
)
from reviews.services import _testimony_create, testimony_request_create, testimony_write
from reviews.units import load_unit
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    ReviewFactory,
    TagFactory,
    TeamFactory,
    UserFactory,
    approved,
)
from tests.hostile_fields import COVERED, EMAIL, MARKERS, PAYLOAD, SHORT, TINY, URL, tag, tagged

# Every element that holds an event handler or a javascript: URL, and every inline
# script: none of them is netlog's (the CSP forbids them), so any is injected.
INJECTED = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on") || /^\\s*javascript:/i.test(attribute.value)) {
        found.push(element.outerHTML.slice(0, 120));
      }
    }
  }
  for (const script of document.querySelectorAll("script:not([src])")) {
    found.push(script.outerHTML.slice(0, 120));
  }
  return found;
}"""
HOVER = "els => els.forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))"
# The text a page shows of the fields: its main part and its menus (the signed-in
# user's name; the admin's breadcrumbs), and what its form fields hold.
SHOWN_TEXT = """() => {
  const parts = [];
  for (const region of document.querySelectorAll("main, nav")) {
    parts.push(region.textContent);
    for (const control of region.querySelectorAll("input, textarea")) {
      parts.push(control.value);
    }
  }
  return parts.join("\\n");
}"""
TAG = re.compile(r"~\d\d")
# The tags shown by the pages each browser page has been to.
_shown: WeakKeyDictionary[Page, set[str]] = WeakKeyDictionary()


def assert_not_run(page: Page, where: str = "") -> None:
    """The page in the browser now (after a form was sent, say) ran nothing. The
    fields it shows are noted for assert_fields_shown()."""
    where = where or page.url
    page.locator("body img, body b, body i, body a, body svg").evaluate_all(HOVER)
    assert page.evaluate("window.pwned") is None, f"{where} ran a payload"
    injected = page.evaluate(INJECTED)
    assert injected == [], f"{where} holds markup from a payload: {injected}"
    _shown.setdefault(page, set()).update(TAG.findall(page.evaluate(SHOWN_TEXT)))


def assert_shown_not_run(page: Page, url: str, *, shown: bool = True) -> None:
    """`url` opens, shows a payload as text (unless not `shown`: a page whose only
    payloads are in the menu, say) and runs nothing."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    if shown:
        expect(page.locator("main")).to_contain_text("window.pwned=")
    assert_not_run(page, url)


def holds_payload(label: str) -> bool:
    """Whether some row's `label` field ("app.Model.field") holds a payload."""
    model_label, field = label.rsplit(".", 1)
    held = Q()
    for marker in MARKERS:
        held |= Q(**{f"{field}__contains": marker})
    return apps.get_model(model_label).objects.filter(held).exists()


def assert_payloads_held(role: str) -> None:
    """Every field COVERED for `role` holds a payload now, as its pages are opened: no
    field is listed as covered while it holds plain text. (Which of the role's pages
    shows which field is not checked field by field: the payloads are alike.)"""
    listed = [label for label, roles in COVERED.items() if role in roles]
    empty = [label for label in listed if not holds_payload(label)]
    assert empty == [], f"listed as covered for the {role}, but holding no payload: {empty}"


def assert_fields_shown(page: Page, role: str) -> None:
    """Every field COVERED for `role` was shown, by its tag, on some page this test
    checked in `page` (assert_not_run notes them): no field is listed for a role
    whose pages never show it."""
    shown = _shown.get(page, set())
    listed = [label for label, roles in COVERED.items() if role in roles]
    unseen = [f"{label} ({tag(label)})" for label in listed if tag(label) not in shown]
    assert unseen == [], (
        f"listed as covered for the {role}, but shown on none of the pages its test "
        f"opened: {unseen}"
    )


def hostile(model: type[Model], **payloads: str) -> dict[str, str]:
    """The fields of `model` named, each holding its payload with the field's tag."""
    return {
        field: tagged(f"{model._meta.label}.{field}", payload)
        for field, payload in payloads.items()
    }


@dataclass
class World:
    recruiter: User
    manager: User
    dpo: User
    assessor: User
    contact: Contact
    twin: Contact
    activity: Activity
    outcome: Outcome
    review: Review
    reflection: Reflection
    testimony: Testimony  # by a contact, through a link
    deleted_contact_testimony: Testimony  # its request went with the contact
    manager_testimony: Testimony
    testimony_token: str  # a link still open, for the witness
    criterion_signed: Criterion
    criterion_open: Criterion
    export: Export
    access_request: DataRequest
    refused_request: DataRequest
    erased_request: DataRequest


def build_world() -> World:
    """A team whose every free-text field holds a payload: the people, their network,
    its data protection records, reviews, testimonies, the unit and the portfolio."""
    people = _people()
    recruiter = people["recruiter"]
    network = _network(recruiter)
    contact, activity = network["contact"], network["activity"]
    testimonies = _testimonies(recruiter, people["manager"], contact, activity)
    portfolio = _portfolio(people, network, testimonies)
    requests = _requests(people["dpo"], recruiter, contact)
    return World(**people, **network, **testimonies, **portfolio, **requests)


def _people() -> dict[str, User]:
    """Names of 146 + 40 characters: a manager's full name fits a testimony's signer."""
    names = hostile(User, first_name=PAYLOAD, last_name=SHORT)
    manager = UserFactory(username="manager", role=Role.MANAGER, **names)
    team = TeamFactory(manager=manager, **hostile(Team, name=SHORT))
    recruiter = UserFactory(username="priya", team=team, **hostile(User, email=EMAIL), **names)
    dpo = UserFactory(username="dpo", role=Role.DPO, **names)
    assessor = UserFactory(username="assessor", role=Role.ASSESSOR, **names)
    Assignment.objects.create(assessor=assessor, learner=recruiter)
    return {"recruiter": recruiter, "manager": manager, "dpo": dpo, "assessor": assessor}


def _network(recruiter: User) -> dict:
    today = timezone.localdate()
    names = hostile(Contact, first_name=SHORT, last_name=SHORT, organisation=PAYLOAD)
    # From LinkedIn: its privacy notice is due, so it is listed on the privacy pages.
    contact = ContactFactory(
        owner=recruiter,
        kind=Kind.CLIENT,
        source_channel=Channel.LINKEDIN,
        **hostile(Contact, role=PAYLOAD, email=EMAIL, profile_url=URL, notes=PAYLOAD),
        **names,
    )
    contact.tags.set([TagFactory(owner=recruiter, **hostile(Tag, name=SHORT))])
    # The same name again: a possible duplicate, and a record the DPO may match.
    twin = ContactFactory(owner=recruiter, kind=Kind.CLIENT, **names)
    # Untouched for three years: the retention run would warn its owner.
    ContactFactory(
        owner=recruiter, created_at=timezone.now() - datetime.timedelta(days=3 * 365), **names
    )
    activity = ActivityFactory(
        owner=recruiter,
        contacts=[contact],
        follow_up_on=today + datetime.timedelta(days=2),
        **hostile(Activity, context=PAYLOAD, summary=PAYLOAD, outcome=PAYLOAD),
    )
    outcome = OutcomeFactory(owner=recruiter, contacts=[contact], **hostile(Outcome, notes=PAYLOAD))
    outcome.activities.set([activity])
    review = ReviewFactory(
        contact=contact,
        next_action_on=today + datetime.timedelta(days=3),
        **hostile(Review, rationale=PAYLOAD, next_actions=PAYLOAD),
    )
    reflection = Reflection.objects.create(
        owner=recruiter, **hostile(Reflection, title=PAYLOAD, text=PAYLOAD)
    )
    reflection.contacts.set([contact])
    notice_publish(**hostile(PrivacyNotice, text=PAYLOAD))
    basis_record(
        contact=contact,
        basis=Basis.LEGITIMATE_INTERESTS,
        by=recruiter,
        **hostile(LawfulBasisRecord, li_purpose=PAYLOAD, li_necessity=PAYLOAD, li_balance=PAYLOAD),
    )
    disclosure_record(
        contact=contact,
        what=Disclosed.CV,
        disclosed_on=today,
        by=recruiter,
        **hostile(Disclosure, recipient=PAYLOAD),
    )
    SensitiveConfirmation.objects.create(
        object_type="contacts.contact",
        object_id=contact.pk,
        categories=["health"],
        recorded_by=recruiter,
        **hostile(SensitiveConfirmation, justification=PAYLOAD),
    )
    # What the guard looks for (the recruiter's test trips it), and an admin's pattern.
    SensitiveTerm.objects.create(pattern="pregnant", category="pregnancy")
    SensitiveTerm.objects.create(category="health", **hostile(SensitiveTerm, pattern=SHORT))
    BankHoliday.objects.create(date=datetime.date(2099, 12, 31), **hostile(BankHoliday, name=SHORT))
    return {
        "contact": contact,
        "twin": twin,
        "activity": activity,
        "outcome": outcome,
        "review": review,
        "reflection": reflection,
    }


def _testimonies(recruiter: User, manager: User, contact: Contact, activity: Activity) -> dict:
    """A link left open for the witness's page, one answered, one answered by a contact
    deleted since (their link goes with them: the assessor then reads the name the
    witness typed, where a linked witness is named by a pseudonym) and the manager's."""
    message = hostile(TestimonyRequest, message=PAYLOAD)
    _, token = testimony_request_create(
        contact=contact, by=recruiter, activities=[activity], **message
    )
    testimony = _signed_through_a_link(recruiter, contact, activity)
    gone = ContactFactory(owner=recruiter)
    by_deleted_contact = _signed_through_a_link(recruiter, gone, activity)
    gone.delete()
    by_manager = testimony_write(
        author=manager,
        owner=recruiter,
        activities=[activity],
        **hostile(Testimony, witness_role=PAYLOAD, text=PAYLOAD),
    )
    return {
        "testimony": testimony,
        "deleted_contact_testimony": by_deleted_contact,
        "manager_testimony": by_manager,
        "testimony_token": token,
    }


def _signed_through_a_link(recruiter: User, contact: Contact, activity: Activity) -> Testimony:
    answered, _ = testimony_request_create(
        contact=contact,
        by=recruiter,
        activities=[activity],
        **hostile(TestimonyRequest, message=PAYLOAD),
    )
    testimony = _testimony_create(
        owner=recruiter,
        request=answered,
        relationship=WitnessRelationship.CLIENT,
        activity_ids=[activity.pk],
        **hostile(Testimony, witness_name=PAYLOAD, witness_role=PAYLOAD, text=PAYLOAD),
    )
    TestimonyRequest.objects.filter(pk=answered.pk).update(used_at=timezone.now())
    return testimony


def _portfolio(people: dict[str, User], network: dict, testimonies: dict) -> dict:
    """A unit loaded from a file whose codes and texts are payloads, every kind of
    evidence linked to it, a criterion signed off, and a pack naming contacts."""
    recruiter, assessor = people["recruiter"], people["assessor"]
    # Two codes of 10 characters, the most a code takes: <i onx> and <b onx>, tagged.
    criteria = [
        hostile(Criterion, code=TINY, text=PAYLOAD),
        hostile(Criterion, code=TINY.replace("i", "b"), text=PAYLOAD),
    ]
    unit = hostile(Unit, code=TINY, title=PAYLOAD, awarding_body=SHORT)
    outcomes = [{"number": 1, "criteria": criteria, **hostile(LearningOutcome, text=PAYLOAD)}]
    load_unit(
        {**unit, "outcomes": outcomes},
        Unit=Unit,
        LearningOutcome=LearningOutcome,
        Criterion=Criterion,
    )
    signed, open_ = Criterion.objects.filter(outcome__unit__code=unit["code"]).order_by("code")
    items = {
        "activity": network["activity"],
        "review": network["review"],
        "reflection": network["reflection"],
        "testimony": testimonies["testimony"],
        "outcome": network["outcome"],
    }
    for kind, item in items.items():
        EvidenceLink.objects.create(owner=recruiter, criterion=signed, **{kind: item})
    EvidenceLink.objects.create(owner=recruiter, criterion=open_, activity=network["activity"])
    for testimony in [testimonies["manager_testimony"], testimonies["deleted_contact_testimony"]]:
        EvidenceLink.objects.create(owner=recruiter, criterion=open_, testimony=testimony)
    SignOff.objects.create(
        learner=recruiter, criterion=signed, assessor=assessor, **hostile(SignOff, comment=PAYLOAD)
    )
    export = Export.objects.create(
        learner=recruiter,
        requested_by=assessor,
        status=ExportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        sha256="0" * 64,
        real_names=True,
        names_reason=NamesReason.OTHER,
        **hostile(Export, names_note=PAYLOAD),
    )
    return {"criterion_signed": signed, "criterion_open": open_, "export": export}


def _requests(dpo: User, recruiter: User, contact: Contact) -> dict[str, DataRequest]:
    """An access request (extended) for the contact, a refused one, and an erasure
    carried out for someone whose CV went to a recipient named with a payload."""
    today = timezone.localdate()
    asked = {"received_by": dpo, **hostile(DataRequest, requester_name=PAYLOAD)}
    access = approved(
        DataRequestFactory(
            kind=RequestKind.ACCESS,
            contacts=[contact],
            **hostile(DataRequest, requester_email=EMAIL),
            **asked,
        )
    )
    DataRequest.objects.filter(pk=access.pk).update(
        extended_on=today, **hostile(DataRequest, extension_reason=PAYLOAD)
    )
    refused = DataRequestFactory(
        kind=RequestKind.ERASURE,
        status=Status.REFUSED,
        decided_on=today,
        **hostile(DataRequest, refusal_reason=PAYLOAD),
        **asked,
    )
    leaver = ContactFactory(owner=recruiter, first_name="Leaver", last_name="Gone")
    disclosure_record(
        contact=leaver,
        what=Disclosed.CV,
        disclosed_on=today,
        by=recruiter,
        **hostile(Disclosure, recipient=PAYLOAD),
    )
    # Named as the person is: an erasure takes the requester's name out of every text.
    erased = approved(
        DataRequestFactory(
            kind=RequestKind.ERASURE,
            contacts=[leaver],
            requester_name="Leaver Gone",
            received_by=dpo,
        )
    )
    erasure_carry_out(request_id=erased.pk)
    return {"access_request": access, "refused_request": refused, "erased_request": erased}
