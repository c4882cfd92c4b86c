"""A learner's evidence as the assessor reads it: for each criterion the items linked
to it, described in plain words with contacts pseudonymised."""

from dataclasses import dataclass

from accounts.models import User
from portfolio.pseudonyms import Pseudonymiser
from reviews.models import EvidenceLink
from reviews.services import coverage, evidence_of


@dataclass
class Item:
    kind: str
    date: object
    title: str
    text: str
    url: str = ""


def describe(link: EvidenceLink, names: Pseudonymiser) -> Item:
    item = link.item
    if link.kind == "activity":
        people = ", ".join(names.contact(c) for c in item.contacts.all())
        context = f" ({names.text(item.context)})" if item.context else ""
        title = f"{item.get_type_display()}{context}"
        text = item.summary + (f" Outcome: {item.outcome}" if item.outcome else "")
        return Item(
            "Activity", item.date, f"{title} with {people or 'no one named'}", names.text(text)
        )
    if link.kind == "review":
        who = names.contact(item.contact) if item.contact else "a contact no longer held"
        scores = f"value {item.value}, activity {item.activity}, potential {item.potential}"
        title = f"Review of {who}: {item.get_decision_display()} ({scores})"
        return Item("Review", item.reviewed_on, title, names.text(item.rationale))
    if link.kind == "reflection":
        return Item("Reflection", item.written_on, names.text(item.title), names.text(item.text))
    if link.kind == "testimony":
        signer = item.witness_name
        if item.request_id and item.request and item.request.contact_id:
            signer = names.contact(item.request.contact)
        title = f"Testimony by {names.text(signer)}, {item.get_relationship_display().lower()}"
        return Item("Testimony", item.signed_on, title, names.text(item.text))
    people = ", ".join(names.contact(c) for c in item.contacts.all())
    value = f", £{item.value:,.0f}" if item.value is not None else ""
    title = f"{item.get_kind_display()}{value}{f' ({people})' if people else ''}"
    return Item("Outcome", item.date, title, names.text(item.notes))


def portfolio(learner: User, names: Pseudonymiser | None = None) -> list[tuple]:
    """[(outcome, [(criterion coverage, [items])])] in the unit's order; each
    sign-off's comment is rewritten by `names` too."""
    names = names or Pseudonymiser(learner)
    links = (
        evidence_of(learner)
        .select_related(
            "criterion",
            "activity",
            "review__contact",
            "reflection",
            "testimony__request__contact",
            "outcome",
        )
        .prefetch_related("activity__contacts", "outcome__contacts")
    )
    by_criterion: dict[int, list[Item]] = {}
    for link in links.order_by("criterion", "id"):
        by_criterion.setdefault(link.criterion_id, []).append(describe(link, names))
    outcomes = coverage(learner)
    for _, rows in outcomes:
        for row in rows:
            row.comment = names.text(row.comment)
    return [
        (outcome, [(row, by_criterion.get(row.criterion.pk, [])) for row in rows])
        for outcome, rows in outcomes
    ]
