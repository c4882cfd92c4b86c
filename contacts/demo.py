"""The demo: four role accounts and a realistic small network for the recruiter.

Local demo only: `seed_demo` refuses to run unless DEBUG is on. Every person here is
fictional and every address uses a reserved example domain.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from consent.deadlines import add_months
from consent.models import PrivacyNotice
from consent.services import basis_record, consent_record, disclosure_record, notice_deliver
from contacts.forms import parse_tags
from contacts.models import (
    Activity,
    ActivityType,
    Channel,
    Contact,
    Direction,
    Kind,
    Outcome,
    OutcomeKind,
    Tag,
)
from portfolio.models import Assignment
from privacy import services
from privacy.models import IdentityMethod, ReceivedHow, RequestKind
from reviews.models import Cadence, Criterion, EvidenceLink, Reflection, Review
from reviews.services import testimony_request_create, testimony_submit, testimony_write

DEMO_PASSWORD = "netlog-demo"

ACCOUNTS = [
    ("recruiter", "Priya", "Shah", Role.RECRUITER),
    ("manager", "Tom", "Hughes", Role.MANAGER),
    ("dpo", "Dana", "Price", Role.DPO),
    ("assessor", "Alex", "Morgan", Role.ASSESSOR),
    ("recruiter2", "Sam", "Okafor", Role.RECRUITER),
]

# fmt: off
# first, last, kind, channel, organisation, role, tags
NETWORK = [
    ("Olivia", "Bennett", Kind.CANDIDATE, Channel.LINKEDIN, "Northwind Analytics", "Senior Data Engineer", "data, python"),
    ("Mohammed", "Rahman", Kind.CANDIDATE, Channel.JOB_BOARD, "", "Backend Developer", "python, junior"),
    ("Chloe", "Evans", Kind.CANDIDATE, Channel.REFERRAL, "Harbour Bank", "QA Lead", "testing, fintech"),
    ("Jack", "Thompson", Kind.CANDIDATE, Channel.EVENT, "Brightwave", "DevOps Engineer", "cloud"),
    ("Aisha", "Khan", Kind.CANDIDATE, Channel.INBOUND, "", "Product Designer", "design"),
    ("Daniel", "Walsh", Kind.CANDIDATE, Channel.LINKEDIN, "Castlegate Insurance", "Data Scientist", "data, fintech"),
    ("Grace", "O'Neill", Kind.CLIENT, Channel.EVENT, "Harbour Bank", "Head of Engineering", "fintech, key account"),
    ("Marcus", "Reid", Kind.CLIENT, Channel.REFERRAL, "Brightwave", "CTO", "key account"),
    ("Sophie", "Turner", Kind.HIRING_MANAGER, Channel.LINKEDIN, "Northwind Analytics", "Engineering Manager", "data"),
    ("Ravi", "Patel", Kind.HIRING_MANAGER, Channel.INBOUND, "Castlegate Insurance", "Data Platform Lead", "fintech"),
    ("Hannah", "Clarke", Kind.REFERRER, Channel.EVENT, "Leeds Tech Meetup", "Organiser", "community"),
    ("Ben", "Ashworth", Kind.REFERRER, Channel.LINKEDIN, "Freelance", "Engineering Coach", "community"),
    ("Emily", "Foster", Kind.INDUSTRY_PEER, Channel.EVENT, "Talent Partners UK", "Senior Recruiter", "peers"),
    ("Liam", "Murphy", Kind.INDUSTRY_PEER, Channel.OTHER, "REC North", "Membership Manager", "peers"),
    ("Zara", "Ahmed", Kind.CANDIDATE, Channel.JOB_BOARD, "Pennine Retail", "Frontend Developer", "javascript"),
    ("Nathan", "Hall", Kind.CLIENT, Channel.REFERRAL, "Pennine Retail", "IT Director", ""),
    ("Lucy", "Hart", Kind.PERSONAL, Channel.OTHER, "", "", ""),
    ("George", "Wood", Kind.PERSONAL, Channel.OTHER, "", "", ""),
]

# days ago, contact last names, type, context, summary, outcome, direction, follow-up in days
LOG = [
    (170, ["Clarke"], ActivityType.EVENT, "Leeds Tech Meetup, Platform", "Attended the data engineering night; introduced myself to the organiser.", "Invited to speak at a later meetup.", Direction.RECEIVED, None),
    (150, ["Bennett"], ActivityType.LINKEDIN, "LinkedIn", "Messaged Olivia after her talk on streaming pipelines.", "Open to a move in the spring.", Direction.MUTUAL, None),
    (140, ["O'Neill"], ActivityType.MEETING, "Harbour Bank, Wellington Place", "Coffee with Grace to understand the QA and data roadmap.", "Two QA roles likely in Q2.", Direction.MUTUAL, None),
    (120, ["Evans", "O'Neill"], ActivityType.REFERRAL_GIVEN, "", "Referred Chloe to Grace for the QA Lead role.", "Interview booked.", Direction.GIVEN, None),
    (110, ["Foster"], ActivityType.CALL, "", "Shared salary benchmarks for data roles with Emily.", "Agreed to swap market reports quarterly.", Direction.GIVEN, None),
    (95, ["Reid"], ActivityType.MEETING, "Brightwave offices", "Pitch meeting for Brightwave's platform team hiring.", "Signed terms for three roles.", Direction.MUTUAL, None),
    (90, ["Thompson"], ActivityType.CALL, "", "Screening call for the Brightwave DevOps role.", "Shortlisted.", Direction.MUTUAL, None),
    (80, ["Ashworth"], ActivityType.REFERRAL_RECEIVED, "", "Ben referred two developers from his coaching group.", "Mohammed registered with us.", Direction.RECEIVED, None),
    (78, ["Rahman"], ActivityType.EMAIL, "", "Welcome email and CV tips for Mohammed.", "", Direction.GIVEN, 14),
    (60, ["Turner"], ActivityType.MEETING, "Northwind Analytics", "Intake meeting for a senior data engineer vacancy.", "Vacancy registered.", Direction.MUTUAL, None),
    (58, ["Bennett", "Turner"], ActivityType.EMAIL, "", "Sent Olivia's profile to Sophie (with Olivia's agreement).", "First interview arranged.", Direction.GIVEN, None),
    (45, ["Clarke"], ActivityType.EVENT, "Leeds Tech Meetup, Platform", "Gave a short talk on getting hired in data engineering.", "Four candidates asked to connect.", Direction.GIVEN, None),
    (40, ["Walsh"], ActivityType.LINKEDIN, "LinkedIn", "Approached Daniel about the Castlegate data role.", "Interested; call booked.", Direction.MUTUAL, None),
    (38, ["Patel"], ActivityType.CALL, "", "Ravi briefed me on the data platform team's plans.", "Exclusive on one role.", Direction.RECEIVED, 30),
    (30, ["Bennett"], ActivityType.CALL, "", "Offer negotiation with Olivia.", "Offer accepted.", Direction.MUTUAL, None),
    (21, ["Murphy"], ActivityType.EVENT, "REC North breakfast, Manchester", "Breakfast briefing on the Employment Rights Bill.", "Notes shared with the team.", Direction.RECEIVED, None),
    (14, ["Khan"], ActivityType.EMAIL, "", "Portfolio feedback for Aisha.", "", Direction.GIVEN, 10),
    (10, ["Ahmed", "Hall"], ActivityType.MEETING, "Pennine Retail, Halifax", "Met Nathan about his e-commerce rebuild; Zara is a fit.", "Nathan will send a brief.", Direction.MUTUAL, 5),
    (6, ["Hart"], ActivityType.OTHER, "", "Dinner with Lucy (personal).", "", Direction.MUTUAL, None),
    (3, ["Reid"], ActivityType.EMAIL, "", "Quarterly update to Marcus on the three Brightwave roles.", "", Direction.GIVEN, 4),
    (1, ["Foster"], ActivityType.CALL, "", "Emily asked for a referral for a contract tester.", "Suggested two names.", Direction.GIVEN, None),
]

SECOND_RECRUITER_NETWORK = [
    ("Imran", "Hussain", Kind.CANDIDATE, Channel.JOB_BOARD, "", "Support Engineer", ""),
    ("Ella", "Jones", Kind.CLIENT, Channel.REFERRAL, "Moorside Logistics", "Operations Director", ""),
]

# fmt: on


def _email(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace("'", "") + "@example.com"


def _account(username: str, first: str, last: str, role: str, team: Team | None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "role": role,
            "email": f"{username}@example.com",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    user.team = team if role == Role.RECRUITER else None
    user.save()
    return user


def _network(owner: User, rows: list[tuple]) -> dict[str, Contact]:
    contacts = {}
    for first, last, kind, channel, organisation, role, tags in rows:
        contact = Contact.objects.create(
            owner=owner,
            first_name=first,
            last_name=last,
            kind=kind,
            source_channel=channel,
            organisation=organisation,
            role=role,
            email="" if kind == Kind.PERSONAL else _email(first, last),
        )
        names = parse_tags(tags)
        contact.tags.set([Tag.objects.get_or_create(owner=owner, name=n)[0] for n in names])
        contacts[last] = contact
    return contacts


def _log(owner: User, contacts: dict[str, Contact], today: datetime.date) -> None:
    for days_ago, names, type_, context, summary, outcome, direction, follow_up in LOG:
        date = today - datetime.timedelta(days=days_ago)
        activity = Activity.objects.create(
            owner=owner,
            date=date,
            type=type_,
            context=context,
            summary=summary,
            outcome=outcome,
            direction=direction,
            follow_up_on=date + datetime.timedelta(days=follow_up) if follow_up else None,
        )
        activity.contacts.set([contacts[n] for n in names])


@transaction.atomic
def build_demo() -> bool:
    """Create the demo accounts and network. Returns False if they already exist."""
    # Built once: later edits (even deleting every contact) are the user's to keep.
    if User.objects.filter(username__in=[row[0] for row in ACCOUNTS]).exists():
        return False
    manager = _account("manager", "Tom", "Hughes", Role.MANAGER, None)
    team, _ = Team.objects.get_or_create(name="Tech Permanent", defaults={"manager": manager})
    users = {name: _account(name, first, last, role, team) for name, first, last, role in ACCOUNTS}
    recruiter = users["recruiter"]
    today = timezone.localdate()
    contacts = _network(recruiter, NETWORK)
    _log(recruiter, contacts, today)
    _outcomes(recruiter, contacts, today)
    _protect(recruiter, contacts, today)
    _requests(users["dpo"], recruiter, contacts, today)
    _reviews(recruiter, contacts, today)
    Assignment.objects.create(assessor=users["assessor"], learner=recruiter)
    _network(users["recruiter2"], SECOND_RECRUITER_NETWORK)
    return True


def _outcomes(owner: User, contacts: dict[str, Contact], today: datetime.date) -> None:
    def activities_with(name: str):
        return Activity.objects.filter(owner=owner, contacts=contacts[name])

    results = [
        (
            OutcomeKind.PLACEMENT,
            25,
            Decimal("9600"),
            ["Bennett", "Turner"],
            "Bennett",
            "Olivia placed at Northwind Analytics.",
        ),
        (
            OutcomeKind.CLIENT_WON,
            95,
            None,
            ["Reid"],
            "Reid",
            "Brightwave signed terms for three roles.",
        ),
        (
            OutcomeKind.VACANCY,
            60,
            None,
            ["Turner"],
            "Turner",
            "Senior data engineer vacancy registered.",
        ),
        (
            OutcomeKind.REFERRAL,
            120,
            None,
            ["Evans", "O'Neill"],
            "Evans",
            "Chloe referred to Harbour Bank.",
        ),
    ]
    for kind, days_ago, value, names, via, notes in results:
        outcome = Outcome.objects.create(
            owner=owner,
            kind=kind,
            date=today - datetime.timedelta(days=days_ago),
            value=value,
            notes=notes,
        )
        outcome.contacts.set([contacts[n] for n in names])
        outcome.activities.set(activities_with(via).filter(date__lte=outcome.date))


NOTICE_TEXT = """Tech Permanent (a demo agency) holds your name, contact details, CV and
notes of our conversations so that we can tell you about suitable roles and, with your
agreement, send your CV to our clients. We obtained them from you, from LinkedIn, from
a referral or at an event. You can ask for a copy, a correction or deletion at any
time: write to dpo@example.com."""

LEGITIMATE_INTERESTS = {
    "li_purpose": "Finding candidates for our clients' vacancies, and keeping in touch with the people we recruit for.",
    "li_necessity": "We need a business contact's work details to discuss their hiring needs.",
    "li_balance": "Work details only, used as a business contact would expect; they can object at any time.",
}

# last name: (basis, months since consent was given); consent given 25+ months ago has expired
PROTECTION = {
    "Bennett": ("consent", 3),
    "Rahman": ("consent", 2),
    "Evans": ("consent", 26),
    "Thompson": ("consent", 4),
    "Walsh": ("consent", 27),
    "Ahmed": ("consent", 1),
    "O'Neill": ("legitimate_interests", 0),
    "Reid": ("legitimate_interests", 0),
    "Turner": ("legitimate_interests", 0),
    "Patel": ("legitimate_interests", 0),
    "Hall": ("contract", 0),
    "Clarke": ("legitimate_interests", 0),
    "Ashworth": ("legitimate_interests", 0),
    "Foster": ("legitimate_interests", 0),
    "Murphy": ("legitimate_interests", 0),
}


# Found on LinkedIn / through "other" and not yet sent the notice: shows as overdue.
NOTICE_NOT_SENT = {"Ashworth", "Murphy"}


def _protect(owner: User, contacts: dict[str, Contact], today: datetime.date) -> None:
    """Lawful bases and consent for most of the network; a few gaps to show the flags."""
    notice = PrivacyNotice.objects.create(
        version=1, text=NOTICE_TEXT, published_on=add_months(today, -30)
    )
    for last_name, (basis, months_ago) in PROTECTION.items():
        contact = contacts[last_name]
        if basis == "consent":
            consent_record(
                contact=contact,
                on=add_months(today, -months_ago),
                method="form",
                purposes=["roles", "share_cv"],
                notice=notice,
                by=owner,
            )
        elif basis == "legitimate_interests":
            basis_record(contact=contact, basis=basis, by=owner, **LEGITIMATE_INTERESTS)
        else:
            basis_record(contact=contact, basis=basis, by=owner)
        if last_name not in NOTICE_NOT_SENT:
            given = add_months(today, -months_ago)
            notice_deliver(
                contact=contact, notice=notice, delivered_on=given, method="email", by=owner
            )


def _requests(dpo: User, owner: User, contacts: dict[str, Contact], today: datetime.date) -> None:
    """A CV sent to a client, and one request of each kind waiting for the DPO: Daniel
    Walsh (whose consent has expired) asks to be erased; Chloe Evans asks for her data."""
    disclosure_record(
        contact=contacts["Bennett"],
        recipient="Northwind Analytics, data engineering hiring",
        what="cv",
        disclosed_on=today - datetime.timedelta(days=58),
        by=owner,
    )
    walsh, evans = contacts["Walsh"], contacts["Evans"]
    erasure = services.request_receive(
        by=dpo,
        kind=RequestKind.ERASURE,
        received_on=today - datetime.timedelta(days=5),
        received_how=ReceivedHow.EMAIL,
        requester_name=walsh.name,
        requester_email=walsh.email,
    )
    services.request_link(request=erasure, contacts=[walsh], by=dpo)
    access = services.request_receive(
        by=dpo,
        kind=RequestKind.ACCESS,
        received_on=today - datetime.timedelta(days=20),
        received_how=ReceivedHow.PHONE,
        requester_name=evans.name,
        requester_phone="07700 900456",
    )
    services.request_link(request=access, contacts=[evans], by=dpo)
    services.request_verify(
        request=access,
        method=IdentityMethod.KNOWN_PHONE,
        checked_on=today - datetime.timedelta(days=19),
        by=dpo,
    )
    services.request_approve(request=access, by=dpo)


# last name: (months ago, value, activity, potential, decision, rationale, next action in days)
REVIEWS = {
    "Reid": (
        1,
        5,
        4,
        5,
        "strengthen",
        "Marcus signed terms for three roles and introduces us to his peers; regular contact pays off.",
        14,
    ),
    "Bennett": (
        2,
        4,
        3,
        3,
        "maintain",
        "Placed in November; keep in touch for referrals from her new team.",
        None,
    ),
    "Walsh": (
        8,
        2,
        1,
        2,
        "discontinue",
        "No reply since the Castlegate role closed, and his consent has lapsed.",
        None,
    ),
}


def _reviews(owner: User, contacts: dict[str, Contact], today: datetime.date) -> None:
    """Reviews of three relationships, a reflection, a cadence for clients, and
    evidence linked to the unit's criteria, so Reviews and the coverage matrix show
    something."""
    criteria = {c.code: c for c in Criterion.objects.filter(outcome__unit__code="NET")}
    for name, (months, value, activity, potential, decision, why, action) in REVIEWS.items():
        review = Review.objects.create(
            owner=owner,
            contact=contacts[name],
            reviewed_on=add_months(today, -months),
            value=value,
            activity=activity,
            potential=potential,
            decision=decision,
            rationale=why,
            next_actions="Invite him to the fintech breakfast." if action else "",
            next_action_on=today + datetime.timedelta(days=action) if action else None,
        )
        EvidenceLink.objects.create(owner=owner, criterion=criteria["3.1"], review=review)
        if decision != "maintain":
            EvidenceLink.objects.create(owner=owner, criterion=criteria["3.3"], review=review)
    Cadence.objects.create(owner=owner, kind=Kind.CLIENT, ideal_days=30, max_days=60)
    reflection = Reflection.objects.create(
        owner=owner,
        title="What the Leeds Tech Meetup talk did for my network",
        written_on=today - datetime.timedelta(days=20),
        text=(
            "Giving the talk brought four candidates to me in a week, more than a month of "
            "LinkedIn messages. Hannah has been the most useful contact this quarter: she "
            "refers people who fit. I have been taking more than giving with her, so next "
            "I will pass on two client introductions. I will stop chasing contacts who "
            "never reply after two follow-ups."
        ),
    )
    reflection.contacts.set([contacts["Clarke"], contacts["Walsh"]])
    for code in ("3.2", "3.4", "2.4"):
        EvidenceLink.objects.create(owner=owner, criterion=criteria[code], reflection=reflection)
    for activity in Activity.objects.filter(owner=owner, type=ActivityType.EVENT)[:2]:
        EvidenceLink.objects.create(owner=owner, criterion=criteria["2.2"], activity=activity)
    for outcome in Outcome.objects.filter(owner=owner, kind=OutcomeKind.PLACEMENT):
        EvidenceLink.objects.create(owner=owner, criterion=criteria["4.1"], outcome=outcome)
    _testimonies(owner, contacts, criteria)


def _testimonies(owner: User, contacts: dict[str, Contact], criteria: dict) -> None:
    """The team manager's testimony, a client's through a link, and one request open."""
    manager = owner.team.manager
    talk = Activity.objects.filter(owner=owner, contacts=contacts["Clarke"]).first()
    by_manager = testimony_write(
        author=manager,
        owner=owner,
        activities=[talk],
        witness_role="Team manager, Tech Permanent",
        text=(
            "I saw Priya give the data engineering talk at the Leeds Tech Meetup. She "
            "prepared it herself, followed up every candidate who asked to connect within "
            "two days, and two of them are now in our pipeline."
        ),
    )
    _, token = testimony_request_create(
        contact=contacts["Reid"], by=owner, activities=[], message="Our work on the three roles"
    )
    by_client = testimony_submit(
        token=token,
        witness_name="Marcus Reid",
        witness_role="Head of Talent, Brightwave",
        relationship="client",
        text=(
            "Priya understood our data team's needs after one meeting and introduced us to "
            "three strong candidates; we signed terms for three roles."
        ),
    )
    testimony_request_create(
        contact=contacts["Bennett"], by=owner, activities=[], message="Your move to Northwind"
    )
    for testimony in (by_manager, by_client):
        EvidenceLink.objects.create(owner=owner, criterion=criteria["4.2"], testimony=testimony)
