"""GET /reviews/health/: the network health dashboard (reviews.health.network_health).
Each chart is drawn as SVG bars with its values written as text, and listed as a table
from the same rows; a manager sees the team's numbers."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Channel, Direction, Kind, OutcomeKind
from netlog.access import owners_visible_to
from reviews.health import WEEKS
from reviews.models import Criterion, Decision, EvidenceLink, Review, SignOff
from reviews.services import Balance, balance_of
from tests.conftest import client_for
from tests.factories import ActivityFactory, ContactFactory, OutcomeFactory

URL = reverse("reviews:health")
DAY = datetime.timedelta(days=1)
SLUGS = ["activity", "kinds", "stay-in-touch", "decisions", "reciprocity", "channels", "coverage"]
TITLES = {
    "activity": f"Activities logged per week (last {WEEKS} weeks)",
    "kinds": "Contacts by relationship",
    "stay-in-touch": "Professional contacts by stay-in-touch state",
    "decisions": "Review decisions",
    "reciprocity": "Value given and received (last 12 months)",
    "channels": "Placements and clients won, by how the contact was met",
    "coverage": "Criteria by evidence",
}
CRITERIA = 13  # in the default unit the migration loads


def _today() -> datetime.date:
    return timezone.localdate()


def _monday() -> datetime.date:
    today = _today()
    return today - today.weekday() * DAY


def _week_label(weeks_ago: int) -> str:
    return f"w/c {_monday() - datetime.timedelta(weeks=weeks_ago):%d %b}"


def _added(days_ago: int) -> datetime.datetime:
    moment = datetime.datetime.combine(_today() - days_ago * DAY, datetime.time(12))
    return timezone.make_aware(moment)


def _contact(owner, name: str, kind: str, channel: str, *, added: int = 0):
    return ContactFactory(
        owner=owner,
        first_name=name,
        last_name="Testperson",
        kind=kind,
        source_channel=channel,
        created_at=_added(added),
    )


def _activity(owner, contacts, date: datetime.date, direction: str = Direction.MUTUAL):
    return ActivityFactory(owner=owner, contacts=contacts, date=date, direction=direction)


def _review(contact, decision: str) -> Review:
    return Review.objects.create(
        owner=contact.owner,
        contact=contact,
        reviewed_on=_today(),
        value=3,
        activity=3,
        potential=3,
        rationale="Reasons.",
        decision=decision,
    )


def _criterion(code: str) -> Criterion:
    return Criterion.objects.get(outcome__unit__code="NET", code=code)


@pytest.fixture
def network(recruiter, assessor):
    """The recruiter's network, a known data set (see each chart's test for its numbers)."""
    today, monday = _today(), _monday()
    ada = _contact(recruiter, "Ada", Kind.CLIENT, Channel.REFERRAL)
    ben = _contact(recruiter, "Ben", Kind.CANDIDATE, Channel.LINKEDIN)
    cal = _contact(recruiter, "Cal", Kind.CANDIDATE, Channel.EVENT)
    gus = _contact(recruiter, "Gus", Kind.CANDIDATE, Channel.LINKEDIN)
    dan = _contact(recruiter, "Dan", Kind.HIRING_MANAGER, Channel.REFERRAL, added=100)
    eve = _contact(recruiter, "Eve", Kind.REFERRER, Channel.INBOUND, added=300)
    fin = _contact(recruiter, "Fin", Kind.INDUSTRY_PEER, Channel.JOB_BOARD)
    sis = _contact(recruiter, "Sis", Kind.PERSONAL, Channel.OTHER)

    first_monday = monday - datetime.timedelta(weeks=WEEKS - 1)
    first = _activity(recruiter, [ada], today, Direction.GIVEN)  # this week
    _activity(recruiter, [ben], today, Direction.RECEIVED)
    _activity(recruiter, [ada], monday - 7 * DAY, Direction.RECEIVED)  # last week's Monday
    _activity(recruiter, [cal], monday - 4 * DAY, Direction.RECEIVED)
    _activity(recruiter, [ben], monday - DAY, Direction.MUTUAL)  # last week's Sunday
    _activity(recruiter, [ada], first_monday, Direction.GIVEN)  # the first week shown
    _activity(recruiter, [ben], first_monday - DAY, Direction.RECEIVED)  # before it
    _activity(recruiter, [sis], today - 200 * DAY, Direction.RECEIVED)  # personal only
    _activity(recruiter, [cal], today - 400 * DAY, Direction.GIVEN)  # over a year ago

    _review(ada, Decision.MAINTAIN)
    _review(ben, Decision.STRENGTHEN)
    review = _review(cal, Decision.STRENGTHEN)
    _review(fin, Decision.DISCONTINUE)

    OutcomeFactory(owner=recruiter, kind=OutcomeKind.PLACEMENT, contacts=[ben])
    OutcomeFactory(owner=recruiter, kind=OutcomeKind.PLACEMENT, contacts=[ben, cal])
    OutcomeFactory(owner=recruiter, kind=OutcomeKind.CLIENT_WON, contacts=[ada])
    OutcomeFactory(owner=recruiter, kind=OutcomeKind.VACANCY, contacts=[ada])
    OutcomeFactory(owner=recruiter, kind=OutcomeKind.PLACEMENT, contacts=[ada, dan])
    OutcomeFactory(owner=recruiter, kind=OutcomeKind.PLACEMENT)  # attributed to no one

    EvidenceLink.objects.create(owner=recruiter, criterion=_criterion("2.2"), activity=first)
    EvidenceLink.objects.create(owner=recruiter, criterion=_criterion("3.1"), review=review)
    SignOff.objects.create(
        learner=recruiter, criterion=_criterion("1.1"), assessor=assessor, comment="Meets it."
    )
    return {c.first_name: c for c in (ada, ben, cal, gus, dan, eve, fin, sis)}


@pytest.fixture
def others(teammate, outsider, assessor):
    """A teammate's and another team's work, beside the recruiter's network."""
    mate = _contact(teammate, "Mo", Kind.CLIENT, Channel.LINKEDIN)
    _activity(teammate, [mate], _today(), Direction.GIVEN)
    OutcomeFactory(owner=teammate, kind=OutcomeKind.PLACEMENT, contacts=[mate])
    _review(mate, Decision.DISCONTINUE)
    mate_private = _contact(teammate, "Pal", Kind.PERSONAL, Channel.OTHER)
    _activity(teammate, [mate_private], _today(), Direction.RECEIVED)
    OutcomeFactory(owner=teammate, kind=OutcomeKind.CLIENT_WON, contacts=[mate_private])

    far = _contact(outsider, "Far", Kind.HIRING_MANAGER, Channel.JOB_BOARD, added=500)
    for _ in range(5):
        _activity(outsider, [far], _today(), Direction.RECEIVED)
    OutcomeFactory(owner=outsider, kind=OutcomeKind.PLACEMENT, contacts=[far])
    _review(far, Decision.MAINTAIN)
    SignOff.objects.create(
        learner=outsider, criterion=_criterion("1.2"), assessor=assessor, comment="Meets it."
    )


def _figure(page: str, slug: str) -> str:
    found = re.search(rf'<figure[^>]*id="chart-{slug}".*?</figure>', page, re.S)
    assert found, f"no chart {slug}"
    return found.group(0)


def _bars(page: str, slug: str) -> list[tuple[str, int]]:
    """The chart's rows as drawn: each bar's label and the value written beside it."""
    svg = re.search(r"<svg.*?</svg>", _figure(page, slug), re.S).group(0)
    rows = re.findall(
        r'<text[^>]*class="chart-label">(.*?)</text>\s*<rect[^>]*>\s*</rect>\s*'
        r'<text[^>]*class="chart-value">(.*?)</text>',
        svg,
        re.S,
    )
    return [(html.unescape(label), int(value)) for label, value in rows]


def _table(page: str, slug: str) -> list[tuple[str, int]]:
    """The chart's rows as listed in its table of numbers (without the total)."""
    table = re.search(r"<tbody>(.*?)</tbody>", _figure(page, slug), re.S).group(1)
    rows = re.findall(r"<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>", table, re.S)
    return [(html.unescape(label), int(value)) for label, value in rows]


def _total(page: str, slug: str) -> int:
    foot = re.search(r"<tfoot>.*?<td[^>]*>(.*?)</td>", _figure(page, slug), re.S)
    return int(foot.group(1))


def _chart(page: str, slug: str) -> dict[str, int]:
    """The chart's numbers, checked to be the same drawn and in the table."""
    bars = _bars(page, slug)
    assert bars == _table(page, slug)
    assert _total(page, slug) == sum(value for _, value in bars)
    return dict(bars)


def _page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


# The recruiter's own numbers


def test_it_shows_every_chart(as_recruiter, network):
    page = _page(as_recruiter)

    for slug in SLUGS:
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", _figure(page, slug)).group(1)
        assert html.unescape(caption) == TITLES[slug]


def test_it_counts_activities_per_week_with_empty_weeks_as_zero(as_recruiter, network):
    activity = _chart(_page(as_recruiter), "activity")

    assert list(activity) == [_week_label(weeks_ago) for weeks_ago in range(WEEKS - 1, -1, -1)]
    assert activity[_week_label(0)] == 2
    assert activity[_week_label(1)] == 3  # Monday to Sunday
    assert activity[_week_label(2)] == 0
    assert activity[_week_label(WEEKS - 1)] == 1  # not the day before
    assert sum(activity.values()) == 6


def test_it_counts_contacts_by_kind(as_recruiter, network):
    kinds = _chart(_page(as_recruiter), "kinds")

    assert kinds == {
        "Candidate": 3,
        "Client": 1,
        "Hiring manager": 1,
        "Referrer": 1,
        "Industry peer": 1,
        "Personal / social": 1,
    }


def test_it_counts_professional_contacts_by_stay_in_touch_state(as_recruiter, network):
    states = _chart(_page(as_recruiter), "stay-in-touch")

    # Ada, Ben, Cal, Gus in touch; Dan due; Eve overdue; Fin discontinued; Sis personal.
    assert states == {"In touch": 4, "Due (past the ideal gap)": 1, "Overdue": 1}


def test_it_counts_review_decisions(as_recruiter, network):
    decisions = _chart(_page(as_recruiter), "decisions")

    assert decisions == {"Strengthen": 2, "Maintain": 1, "Discontinue": 1}


def test_it_balances_given_and_received_over_the_last_year(as_recruiter, network):
    balance = _chart(_page(as_recruiter), "reciprocity")

    # The personal-only activity and the one over a year old are left out.
    assert balance == {"Given": 2, "Received": 4, "Mutual": 1}


def test_it_leaves_personal_only_activities_out_of_reciprocity(as_recruiter, recruiter):
    sis = _contact(recruiter, "Sis", Kind.PERSONAL, Channel.OTHER)
    ada = _contact(recruiter, "Ada", Kind.CLIENT, Channel.REFERRAL)
    for _ in range(4):
        _activity(recruiter, [sis], _today(), Direction.RECEIVED)
    _activity(recruiter, [sis, ada], _today(), Direction.GIVEN)  # with a professional one

    balance = _chart(_page(as_recruiter), "reciprocity")

    assert balance == {"Given": 1, "Received": 0, "Mutual": 0}


def test_reciprocity_counts_an_activity_dated_ahead_as_the_contacts_balance_does(
    as_recruiter, recruiter
):
    ada = _contact(recruiter, "Ada", Kind.CLIENT, Channel.REFERRAL)
    _activity(recruiter, [ada], _today() - 364 * DAY, Direction.GIVEN)  # the first day in
    _activity(recruiter, [ada], _today() - 365 * DAY, Direction.GIVEN)  # a day too old
    _activity(recruiter, [ada], _today() + 3 * DAY, Direction.RECEIVED)  # the admin allows it

    balance = _chart(_page(as_recruiter), "reciprocity")

    assert balance == {"Given": 1, "Received": 1, "Mutual": 0}
    ada.refresh_from_db()
    assert balance_of(ada) == Balance(given=1, received=1, mutual=0)
    # The charts by week and by month end today.
    assert sum(_chart(_page(as_recruiter), "activity").values()) == 0


def test_the_dpo_sees_one_sided_contacts_of_someone_no_longer_a_recruiter(dpo, manager):
    former = _contact(manager, "Former", Kind.CLIENT, Channel.REFERRAL)  # held by a manager
    for _ in range(4):
        _activity(manager, [former], _today(), Direction.RECEIVED)

    response = client_for(dpo).get(URL)

    assert [c.first_name for c, _ in response.context["one_sided"]] == ["Former"]


def test_it_counts_placements_and_clients_won_by_channel(as_recruiter, network):
    channels = _chart(_page(as_recruiter), "channels")

    # An outcome counts once per channel of its contacts (Ada and Dan are both
    # referrals); one attributed to no one and a vacancy are not counted.
    assert channels == {
        "Job board": 0,
        "LinkedIn": 2,
        "Referral": 2,
        "Event": 1,
        "Inbound": 0,
        "Other": 0,
    }


def _outcomes_table(page: str) -> dict[str, list[int]]:
    table = re.search(r'<table[^>]*aria-labelledby="channels-heading".*?</table>', page, re.S)
    head = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table.group(0))
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        channel = re.search(r"<th[^>]*>(.*?)</th>", row).group(1)
        rows[channel] = [int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", row)]
    return {"": head, **rows}


def test_it_tables_every_outcome_kind_by_channel(as_recruiter, network):
    table = _outcomes_table(_page(as_recruiter))

    assert table[""] == [
        "Channel",
        "Candidate placed",
        "Client won",
        "Vacancy registered",
        "Candidate referred",
    ]
    assert table["LinkedIn"] == [2, 0, 0, 0]
    assert table["Referral"] == [1, 1, 1, 0]
    assert table["Event"] == [1, 0, 0, 0]
    assert table["Job board"] == table["Inbound"] == table["Other"] == [0, 0, 0, 0]


def test_it_counts_the_recruiters_criteria_by_coverage(as_recruiter, network):
    coverage = _chart(_page(as_recruiter), "coverage")

    assert coverage == {"Unmapped": CRITERIA - 3, "Evidenced": 2, "Signed off": 1}


def test_it_lists_one_sided_relationships(as_recruiter, recruiter):
    taker = _contact(recruiter, "Taker", Kind.CLIENT, Channel.REFERRAL)
    for _ in range(3):
        _activity(recruiter, [taker], _today(), Direction.RECEIVED)

    page = _page(as_recruiter)

    listed = re.search(r'<ul[^>]*aria-labelledby="one-sided-heading".*?</ul>', page, re.S)
    assert f'href="{taker.get_absolute_url()}">Taker Testperson</a>' in listed.group(0)
    assert "given 0, received 3, mutual 0" in listed.group(0)
    assert "offer something back" in listed.group(0)


def test_it_says_when_no_relationship_is_one_sided(as_recruiter, network):
    assert "None: give and take are balanced." in _page(as_recruiter)


def test_it_offers_a_recruiter_no_choice_of_learner(as_recruiter, network, teammate):
    page = _page(as_recruiter, learner=teammate.pk)

    assert 'name="learner"' not in page
    coverage = _chart(page, "coverage")
    assert coverage == {"Unmapped": CRITERIA - 3, "Evidenced": 2, "Signed off": 1}


def test_it_shows_zeros_on_an_empty_network(as_recruiter):
    page = _page(as_recruiter)

    assert sum(_chart(page, "activity").values()) == 0
    assert _chart(page, "reciprocity") == {"Given": 0, "Received": 0, "Mutual": 0}
    assert _chart(page, "coverage") == {"Unmapped": CRITERIA, "Evidenced": 0, "Signed off": 0}
    assert 'width="0"' in _figure(page, "activity")


# Accessibility: readable without colour, numbers as a table


def test_it_labels_each_svg_with_its_caption(as_recruiter, network):
    page = _page(as_recruiter)

    for slug in SLUGS:
        figure = _figure(page, slug)
        svg = re.search(r"<svg[^>]*>", figure).group(0)
        assert 'role="img"' in svg
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
        assert re.search(rf'<figcaption[^>]*id="{labelled_by}"', figure)
        assert page.count(f'id="{labelled_by}"') == 1


def test_it_writes_every_value_as_text_beside_its_bar(as_recruiter, network):
    page = _page(as_recruiter)

    for slug in SLUGS:
        svg = re.search(r"<svg.*?</svg>", _figure(page, slug), re.S).group(0)
        bars = len(re.findall(r"<rect", svg))
        assert bars == len(_table(page, slug)) > 0
        assert len(re.findall(r'class="chart-value"', svg)) == bars
        assert len(re.findall(r'class="chart-label"', svg)) == bars


def test_it_draws_bars_in_proportion_to_the_top_value(as_recruiter, network):
    svg = re.search(r"<svg.*?</svg>", _figure(_page(as_recruiter), "reciprocity"), re.S)

    widths = [int(w) for w in re.findall(r'<rect[^>]*width="(\d+)"', svg.group(0))]

    assert widths == [130, 260, 65]  # given 2, received 4 (the top), mutual 1


def test_it_gives_each_chart_a_table_with_a_total(as_recruiter, network):
    page = _page(as_recruiter)

    for slug in SLUGS:
        figure = _figure(page, slug)
        assert "<summary>The numbers</summary>" in figure
        assert f'<th scope="col">{html.escape(TITLES[slug])}</th>' in figure
    assert _total(page, "activity") == 6
    assert _total(page, "coverage") == CRITERIA


# A manager and the other roles


def test_it_shows_a_manager_the_teams_numbers(as_manager, network, others):
    page = _page(as_manager)

    assert _chart(page, "activity")[_week_label(0)] == 3  # not the teammate's private one
    assert _chart(page, "kinds") == {
        "Candidate": 3,
        "Client": 2,
        "Hiring manager": 1,
        "Referrer": 1,
        "Industry peer": 1,
        "Personal / social": 0,
    }
    assert _chart(page, "stay-in-touch") == {
        "In touch": 4,
        "Due (past the ideal gap)": 1,
        "Overdue": 1,
    }
    assert _chart(page, "decisions") == {"Strengthen": 2, "Maintain": 1, "Discontinue": 2}
    assert _chart(page, "reciprocity") == {"Given": 3, "Received": 4, "Mutual": 1}
    assert _chart(page, "channels")["LinkedIn"] == 3
    assert _chart(page, "channels")["Job board"] == 0  # the other team's placement


def test_it_shows_a_manager_the_first_learners_coverage_until_one_is_chosen(
    as_manager, manager, network
):
    first = owners_visible_to(manager).first()

    assert _chart(_page(as_manager), "coverage") == _chart(
        _page(as_manager, learner=first.pk), "coverage"
    )


def test_it_lets_a_manager_choose_a_learner_for_coverage(as_manager, recruiter, network):
    page = _page(as_manager, learner=recruiter.pk)

    assert _chart(page, "coverage") == {"Unmapped": CRITERIA - 3, "Evidenced": 2, "Signed off": 1}
    assert f'<option value="{recruiter.pk}" selected>' in page


def test_it_offers_a_manager_only_the_teams_recruiters(as_manager, recruiter, teammate, outsider):
    page = _page(as_manager)

    select = re.search(r'<select[^>]*name="learner".*?</select>', page, re.S).group(0)
    offered = set(re.findall(r'<option value="(\d+)"', select))
    assert offered == {str(recruiter.pk), str(teammate.pk)}


def test_it_does_not_show_a_manager_another_teams_learner(as_manager, outsider, others):
    """Another team's learner is not theirs to see: the first of their own instead."""
    page = _page(as_manager, learner=outsider.pk)

    assert _chart(page, "coverage") == _chart(_page(as_manager), "coverage")
    assert f'<option value="{outsider.pk}"' not in page


@pytest.mark.parametrize("learner", ["abc", "", "-1", "99999"])
def test_it_ignores_a_bad_learner(as_manager, network, learner):
    page = _page(as_manager, learner=learner)

    assert _chart(page, "coverage") == _chart(_page(as_manager), "coverage")


def test_it_shows_another_teams_manager_none_of_it(other_manager, network, others):
    page = _page(client_for(other_manager))

    assert _chart(page, "activity")[_week_label(0)] == 5
    assert _chart(page, "kinds")["Candidate"] == 0
    assert _chart(page, "reciprocity") == {"Given": 0, "Received": 5, "Mutual": 0}
    assert _chart(page, "channels") == {
        "Job board": 1,
        "LinkedIn": 0,
        "Referral": 0,
        "Event": 0,
        "Inbound": 0,
        "Other": 0,
    }
    assert "Ada Testperson" not in page


def test_it_shows_an_outsider_only_their_own(as_outsider, network, others):
    page = _page(as_outsider)

    assert sum(_chart(page, "kinds").values()) == 1
    assert _chart(page, "decisions") == {"Strengthen": 0, "Maintain": 1, "Discontinue": 0}
    assert _chart(page, "coverage") == {"Unmapped": CRITERIA - 1, "Evidenced": 0, "Signed off": 1}


def test_it_refuses_an_assessor(assessor, network):
    assert client_for(assessor).get(URL).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_it_leaves_personal_only_activities_out_of_the_activity_chart(as_recruiter, recruiter):
    sis = _contact(recruiter, "Sis", Kind.PERSONAL, Channel.OTHER)
    ada = _contact(recruiter, "Ada", Kind.CLIENT, Channel.REFERRAL)
    _activity(recruiter, [sis], _today())
    _activity(recruiter, [ada], _today())

    activity = _chart(_page(as_recruiter), "activity")

    # Personal / social contacts stay out of the network metrics (DESIGN.md), as
    # they do from reciprocity and from the manager's view of the same recruiter.
    assert activity[_week_label(0)] == 1


def test_it_counts_outcomes_only_by_professional_contacts_channels(as_manager, teammate):
    friend = _contact(teammate, "Pal", Kind.PERSONAL, Channel.EVENT)
    OutcomeFactory(owner=teammate, kind=OutcomeKind.CLIENT_WON, contacts=[friend])

    channels = _chart(_page(as_manager), "channels")

    # A manager never sees a recruiter's personal contacts, nor numbers drawn from them.
    assert channels["Event"] == 0


# Query counts


def _fill(owner, n: int) -> None:
    """n one-sided contacts, each with three activities, a placement and a review."""
    for i in range(n):
        contact = _contact(owner, f"C{i}", Kind.CLIENT, Channel.REFERRAL)
        for days_ago in (i % 60, 0, 0):
            _activity(owner, [contact], _today() - days_ago * DAY, Direction.RECEIVED)
        OutcomeFactory(owner=owner, kind=OutcomeKind.PLACEMENT, contacts=[contact])
        _review(contact, Decision.MAINTAIN)


# The session and the user; one read for each of five charts (kinds and stay-in-touch
# states share theirs, as the channels chart and the outcomes table do); coverage's
# criteria, sign-offs and the counts of every kind of evidence; the one-sided list;
# give and take by month. A manager's page also reads the learners and the chosen one.
RECRUITER_QUERIES = 2 + 5 + 3 + 1 + 1
MANAGER_QUERIES = RECRUITER_QUERIES + 2


def test_its_queries_do_not_grow_with_the_network(
    as_recruiter, recruiter, django_assert_max_num_queries
):
    _fill(recruiter, 1)  # 3 activities
    with django_assert_max_num_queries(RECRUITER_QUERIES) as few:
        _page(as_recruiter)
    _fill(recruiter, 9)  # 30 activities
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _page(as_recruiter)
    assert _chart(page, "reciprocity")["Received"] == 30


def test_its_queries_do_not_grow_for_a_manager(
    as_manager, recruiter, teammate, django_assert_max_num_queries
):
    _fill(recruiter, 1)
    with django_assert_max_num_queries(MANAGER_QUERIES) as few:
        _page(as_manager, learner=recruiter.pk)
    _fill(recruiter, 9)
    _fill(teammate, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _page(as_manager, learner=recruiter.pk)
    assert _chart(page, "reciprocity")["Received"] == 60


def test_it_shows_give_and_take_month_by_month(as_recruiter, recruiter):
    today = timezone.localdate()
    contact = ContactFactory(owner=recruiter)
    ActivityFactory(owner=recruiter, contacts=[contact], date=today, direction="given")
    ActivityFactory(owner=recruiter, contacts=[contact], date=today, direction="received")
    ActivityFactory(owner=recruiter, contacts=[contact], date=today, direction="received")

    rows = as_recruiter.get(URL).context["by_month"]

    assert len(rows) == 12
    assert rows[-1] == (f"{today:%b %Y}", 1, 2, 0)
    assert all(row[1:] == (0, 0, 0) for row in rows[:-1])
