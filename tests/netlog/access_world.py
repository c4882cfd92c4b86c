"""The people and records the access matrix (test_access_matrix.py) asks about: one
recruiter's work, every kind of record they can own, and everyone else who might ask
for it."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import Role
from imports.models import Batch, PreviewRow, RowAction, Source, Why
from portfolio.models import Assignment, Export, ExportStatus
from portfolio.pack import PDF
from reviews.models import Criterion, Reflection
from reviews.services import testimony_request_create
from takeout.services import calendar_feed_create
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    DataRequestFactory,
    OutcomeFactory,
    ReviewFactory,
    TeamFactory,
    UserFactory,
    witnessed,
)

# The columns of the matrix: who asks.
ROLES = [
    "anonymous",
    "owner",  # the recruiter whose records they are
    "teammate",  # another recruiter, in the same team
    "team_manager",  # the owner's manager: reads the team's work, changes none
    "other_manager",  # the manager of another team
    "dpo",
    "assessor",  # assigned to the owner as a learner
    "other_assessor",  # assigned to another learner
]


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def _pack_with_a_pdf() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pack:
        pack.writestr(PDF, b"%PDF-1.7 a pack")
    return buffer.getvalue()


def build() -> World:
    team, other_team = TeamFactory(), TeamFactory()
    owner = UserFactory(username="owner", team=team)
    teammate = UserFactory(username="teammate", team=team)
    other_learner = UserFactory(username="other-learner", team=other_team)
    assessor = UserFactory(username="assessor", role=Role.ASSESSOR)
    other_assessor = UserFactory(username="other-assessor", role=Role.ASSESSOR)
    Assignment.objects.create(assessor=assessor, learner=owner)
    Assignment.objects.create(assessor=other_assessor, learner=other_learner)
    dpo = UserFactory(username="dpo", role=Role.DPO)
    users = {
        "anonymous": None,
        "owner": owner,
        "teammate": teammate,
        "team_manager": team.manager,
        "other_manager": other_team.manager,
        "dpo": dpo,
        "assessor": assessor,
        "other_assessor": other_assessor,
    }

    contact = ContactFactory(owner=owner, kind="client")
    duplicate = ContactFactory(
        owner=owner, first_name=contact.first_name, last_name=contact.last_name, kind="client"
    )
    activity = ActivityFactory(
        owner=owner, contacts=[contact], follow_up_on=contact.created_at.date()
    )
    outcome = OutcomeFactory(owner=owner, contacts=[contact])
    outcome.activities.set([activity])
    review = ReviewFactory(
        contact=contact, next_actions="Call about Q3", next_action_on=activity.date
    )
    reflection = Reflection.objects.create(owner=owner, title="Events", text="Go to more.")
    _, testimony = witnessed(
        activity, contact, witness_name="A Witness", text="Found me two engineers."
    )
    batch = Batch.objects.create(
        owner=owner, source=Source.CSV, kind="candidate", channel="linkedin"
    )
    row = PreviewRow.objects.create(
        batch=batch, line=2, action=RowAction.CREATE, why=Why.NEW, first_name="Row"
    )
    data_request = DataRequestFactory(received_by=dpo, contacts=[contact])
    export = Export.objects.create(
        learner=owner,
        requested_by=owner,
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
        data=_pack_with_a_pdf(),
    )
    testimony_token = testimony_request_create(
        contact=duplicate, by=owner, activities=[activity], message="And you?"
    )[1]
    calendar_token = calendar_feed_create(owner=owner)[1]
    objects = {
        "contact": contact,
        "duplicate": duplicate,
        "activity": activity,
        "outcome": outcome,
        "review": review,
        "reflection": reflection,
        "testimony": testimony,
        "batch": batch,
        "row": row,
        "data_request": data_request,
        "export": export,
        "criterion": Criterion.objects.order_by("pk").first(),
        "testimony_token": testimony_token,
        "calendar_token": calendar_token,
    }
    return World(users, objects)
