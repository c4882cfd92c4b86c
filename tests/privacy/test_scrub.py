"""privacy.scrub: a profile URL is found however it was pasted."""

import pytest

from contacts.models import Contact
from privacy.scrub import ERASED, Person, url_forms


@pytest.mark.parametrize(
    "pasted",
    [
        "https://www.linkedin.com/in/jo-bloggs-7/",
        "www.linkedin.com/in/jo-bloggs-7",
        "linkedin.com/in/jo-bloggs-7",
        "See LinkedIn.com/in/jo-bloggs-7 for more",
    ],
)
def test_a_profile_is_scrubbed_with_or_without_its_scheme_and_www(pasted):
    person = Person.of(
        [Contact(first_name="Jo", profile_url="https://www.linkedin.com/in/jo-bloggs-7/")]
    )

    scrubbed = person.scrub(pasted)

    assert "jo-bloggs-7" not in scrubbed
    assert ERASED in scrubbed


def test_url_forms_lists_each_form_once():
    assert url_forms(" http://example.com/in/x/ ") == [
        "http://example.com/in/x/",
        "example.com/in/x",
    ]
    assert url_forms("") == []
