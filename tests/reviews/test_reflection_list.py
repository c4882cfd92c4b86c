"""GET /reflections/: the user's reflections, or a manager's team's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reviews.models import Reflection
from tests.conftest import client_for

URL = reverse("reviews:reflection_list")
DAY = datetime.timedelta(days=1)
# The session, the user, the reflections with their owners.
MAX_QUERIES = 3


def reflection(owner, title: str, days_ago: int = 1) -> Reflection:
    return Reflection.objects.create(
        owner=owner,
        title=title,
        written_on=timezone.localdate() - days_ago * DAY,
        text="What I learnt.",
    )


def _titles(response) -> list[str]:
    return [r.title for r in response.context["reflections"]]


def test_it_lists_the_recruiters_own_newest_first(as_recruiter, recruiter, teammate, outsider):
    reflection(recruiter, "Older", days_ago=30)
    reflection(recruiter, "Newer", days_ago=2)
    reflection(recruiter, "Same day, written later", days_ago=30)
    reflection(teammate, "Teammates")
    reflection(outsider, "Outsiders")

    response = as_recruiter.get(URL)

    assert response.status_code == 200
    assert _titles(response) == ["Newer", "Same day, written later", "Older"]
    html = response.content.decode()
    assert "Teammates" not in html and "Outsiders" not in html
    assert reverse("reviews:reflection_create") in html


def test_it_links_each_reflection(as_recruiter, recruiter):
    made = reflection(recruiter, "The fintech breakfast")

    html = as_recruiter.get(URL).content.decode()

    assert f'<a href="{made.get_absolute_url()}">The fintech breakfast</a>' in html


def test_it_says_when_there_are_none(as_recruiter):
    assert "No reflections yet." in as_recruiter.get(URL).content.decode()


def test_a_manager_sees_the_teams_with_who_wrote_them(as_manager, recruiter, teammate, outsider):
    reflection(recruiter, "Priyas", days_ago=1)
    reflection(teammate, "Teammates", days_ago=2)
    reflection(outsider, "Outsiders")

    response = as_manager.get(URL)

    assert _titles(response) == ["Priyas", "Teammates"]
    html = response.content.decode()
    assert "Outsiders" not in html
    assert escape(str(recruiter)) in html and escape(str(teammate)) in html
    assert reverse("reviews:reflection_create") not in html


def test_another_teams_manager_sees_none_of_this_team(other_manager, recruiter, outsider):
    reflection(recruiter, "Priyas")
    reflection(outsider, "Outsiders")

    assert _titles(client_for(other_manager).get(URL)) == ["Outsiders"]


def test_an_assessor_is_refused(assessor, recruiter):
    reflection(recruiter, "Priyas")

    assert client_for(assessor).get(URL).status_code == 403


def test_it_shows_at_most_a_hundred(as_recruiter, recruiter):
    Reflection.objects.bulk_create(
        [
            Reflection(owner=recruiter, title=f"R{i}", written_on=timezone.localdate(), text=".")
            for i in range(105)
        ]
    )

    assert len(_titles(as_recruiter.get(URL))) == 100


@pytest.mark.parametrize("count", [2, 40])
def test_it_runs_a_fixed_number_of_queries(
    as_manager, recruiter, teammate, django_assert_max_num_queries, count
):
    for i in range(count):
        reflection(recruiter if i % 2 else teammate, f"R{i}")

    with django_assert_max_num_queries(MAX_QUERIES):
        response = as_manager.get(URL)

    assert len(_titles(response)) == count


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
