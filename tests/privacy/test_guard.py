"""The special-category guard (privacy.guard.find_sensitive and the SensitiveTextGuard
form mixin): free text that likely records a protected characteristic or
special-category data is flagged; it is saved only when the user ticks "keep" and
gives the lawful reason, which is recorded as a SensitiveConfirmation."""

import csv
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from contacts.models import Activity, ActivityType, Contact, Direction, Kind, Outcome, OutcomeKind
from privacy.guard import Finding, find_sensitive
from privacy.models import SensitiveCategory, SensitiveConfirmation, SensitiveTerm
from tests.conftest import client_for
from tests.factories import ContactFactory

DAY = datetime.timedelta(days=1)
REASON = "The candidate asked us to arrange interview adjustments."
KEEP = {"sensitive_confirmed": "on", "sensitive_justification": REASON}
CONFIRM_ERROR = "Remove it, or tick this box and say why it is needed."
REASON_ERROR = "Say why keeping this text is lawful."


def _flagged(text: str) -> set[tuple[str, str]]:
    return {(f.phrase, f.category) for f in find_sensitive({"Notes": text})}


# find_sensitive: the word list


@pytest.mark.parametrize(
    ("text", "phrase", "category"),
    [
        ("she is pregnant", "pregnant", SensitiveCategory.PREGNANCY),
        ("aged 58", "aged 58", SensitiveCategory.AGE),
        ("practising Muslim", "practising Muslim", SensitiveCategory.RELIGION),
    ],
)
def test_it_flags_a_likely_mention(db, text, phrase, category):
    assert (phrase, category) in _flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "met at the Age of AI conference",
        "a practising solicitor",
        "Christian Smith called back",
        "Gaynor from Acme called back",
    ],
)
def test_it_leaves_ordinary_phrases_alone(db, text):
    assert find_sensitive({"Notes": text}) == []


@pytest.mark.parametrize("text", ["SHE IS PREGNANT", "She is Pregnant", "she is pregnant"])
def test_it_matches_whatever_the_case_and_reports_the_phrase_as_written(db, text):
    phrase = text.split()[-1]

    assert _flagged(text) == {(phrase, SensitiveCategory.PREGNANCY)}


@pytest.mark.parametrize("text", ["nonpregnant", "pregnantly", "aged 5", "aged 123"])
def test_it_matches_whole_words_only(db, text):
    assert find_sensitive({"Notes": text}) == []


def test_each_finding_names_the_field_and_the_category(db):
    findings = find_sensitive({"Summary": "Off sick since March", "Notes": "she is pregnant"})

    assert findings == [
        Finding(field="Summary", phrase="Off sick", category=SensitiveCategory.HEALTH),
        Finding(field="Notes", phrase="pregnant", category=SensitiveCategory.PREGNANCY),
    ]
    assert [f.category_label for f in findings] == ["Health", "Pregnancy or maternity"]


def test_it_reports_a_phrase_once_per_field(db):
    findings = find_sensitive({"Notes": "Pregnant. Still pregnant.", "Summary": "pregnant"})

    assert [(f.field, f.phrase) for f in findings] == [
        ("Notes", "Pregnant"),
        ("Summary", "pregnant"),
    ]


def test_it_finds_nothing_in_empty_text(db):
    assert find_sensitive({"Notes": "", "Summary": None}) == []


def test_the_starting_list_is_loaded_from_the_data_file(db):
    source = Path(apps.get_app_config("privacy").path) / "data" / "sensitive-terms.csv"
    with source.open(encoding="utf-8") as rows:
        expected = {(row["pattern"], row["category"]) for row in csv.DictReader(rows)}

    assert set(SensitiveTerm.objects.values_list("pattern", "category")) == expected
    assert all(category in SensitiveCategory.values for _pattern, category in expected)


def test_a_new_term_is_flagged_without_a_code_change(db):
    text = "Going through IVF, wants flexible hours"
    assert find_sensitive({"Notes": text}) == []

    SensitiveTerm.objects.create(pattern="ivf", category=SensitiveCategory.PREGNANCY)

    assert _flagged(text) == {("IVF", SensitiveCategory.PREGNANCY)}


def test_a_term_that_is_not_a_valid_pattern_is_skipped(db):
    SensitiveTerm.objects.create(pattern="(unclosed", category=SensitiveCategory.HEALTH)

    assert _flagged("she is pregnant") == {("pregnant", SensitiveCategory.PREGNANCY)}


@pytest.mark.parametrize("pattern", ["(unclosed", "[a-", "x**"])
def test_the_admin_refuses_a_term_that_is_not_a_valid_pattern(db, pattern):
    term = SensitiveTerm(pattern=pattern, category=SensitiveCategory.HEALTH)

    with pytest.raises(ValidationError) as refused:
        term.clean()

    assert "Not a valid pattern" in str(refused.value.message_dict["pattern"])


def _accepted(term: SensitiveTerm) -> bool:
    """Whether the admin form would accept `term` (and, if so, it is saved)."""
    try:
        term.full_clean()
    except ValidationError:
        return False
    term.save()
    return True


def test_a_term_the_admin_accepts_is_one_the_guard_uses(db):
    term = SensitiveTerm(pattern="(?i)ivf", category=SensitiveCategory.PREGNANCY)

    # Fixed either way: the admin refuses it, or the guard matches with it.
    assert not _accepted(term) or _flagged("Going through IVF") == {
        ("IVF", SensitiveCategory.PREGNANCY)
    }


def test_a_term_the_admin_accepts_never_flags_ordinary_text(db):
    term = SensitiveTerm(pattern="x?", category=SensitiveCategory.HEALTH)

    assert not _accepted(term) or _flagged("Met at the Leeds meetup.") == set()


# Through the forms


@dataclass(frozen=True)
class Guarded:
    """One form the guard sits in: where it posts, what it saves and its guarded field."""

    url_name: str
    model: type[Model]
    object_type: str
    text_field: str
    label: str
    data: Callable[[Contact], dict]
    per_contact: bool = False
    edit_url_name: str = ""
    # Another field and a new value for it, to edit without touching the guarded text.
    other_change: tuple[str, str] = ("", "")

    def url(self, contact: Contact) -> str:
        return reverse(self.url_name, args=[contact.pk] if self.per_contact else [])

    def post(self, contact: Contact, text: str, **extra) -> dict:
        return {**self.data(contact), self.text_field: text, **extra}


def _contact_data(contact: Contact) -> dict:
    return {
        "first_name": "Olivia",
        "last_name": "Bennett",
        "kind": Kind.CANDIDATE,
        "source_channel": "inbound",
        "email": "olivia.bennett@example.com",
        "role": "Data engineer",
        "tag_names": "",
    }


def _quick_log_data(contact: Contact) -> dict:
    return {
        "type": ActivityType.CALL,
        "date": str(timezone.localdate() - DAY),
        "summary": "Called about the data engineering role",
        "outcome": "",
        "context": "",
        "direction": Direction.GIVEN,
        "follow_up_on": "",
    }


def _activity_data(contact: Contact) -> dict:
    return {**_quick_log_data(contact), "contacts": [contact.pk]}


def _outcome_data(contact: Contact) -> dict:
    return {
        "kind": OutcomeKind.PLACEMENT,
        "date": str(timezone.localdate()),
        "value": "",
        "contacts": [contact.pk],
        "activities": [],
    }


CONTACT_FORM = Guarded(
    "contacts:contact_create",
    Contact,
    "contacts.contact",
    "notes",
    "Notes",
    _contact_data,
    edit_url_name="contacts:contact_edit",
    other_change=("role", "Lead data engineer"),
)
ACTIVITY_FORM = Guarded(
    "contacts:activity_create",
    Activity,
    "contacts.activity",
    "summary",
    "Summary",
    _activity_data,
    edit_url_name="contacts:activity_edit",
    other_change=("direction", Direction.MUTUAL),
)
QUICK_LOG_FORM = Guarded(
    "contacts:contact_log_activity",
    Activity,
    "contacts.activity",
    "summary",
    "Summary",
    _quick_log_data,
    per_contact=True,
)
OUTCOME_FORM = Guarded(
    "contacts:outcome_create",
    Outcome,
    "contacts.outcome",
    "notes",
    "Notes",
    _outcome_data,
    edit_url_name="contacts:outcome_edit",
    other_change=("value", "9000.00"),
)
EVERY_FORM = pytest.mark.parametrize(
    "form",
    [
        pytest.param(CONTACT_FORM, id="contact"),
        pytest.param(ACTIVITY_FORM, id="activity"),
        pytest.param(QUICK_LOG_FORM, id="quick-log"),
        pytest.param(OUTCOME_FORM, id="outcome"),
    ],
)
EDITABLE_FORMS = pytest.mark.parametrize(
    "form",
    [
        pytest.param(CONTACT_FORM, id="contact"),
        pytest.param(ACTIVITY_FORM, id="activity"),
        pytest.param(OUTCOME_FORM, id="outcome"),
    ],
)


@pytest.fixture
def sam(recruiter):
    return ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor")


def _warning(response) -> str:
    """The guard's warning box (up to the submit button), or '' when it is not shown."""
    html = response.content.decode()
    if 'id="sensitive-findings"' not in html:
        return ""
    return html.split('id="sensitive-findings"', 1)[1].split('type="submit"', 1)[0]


def _saved(form: Guarded, recruiter) -> int:
    return form.model.objects.filter(owner=recruiter).count()


@EVERY_FORM
def test_it_shows_the_phrase_and_the_reason_and_saves_nothing(as_recruiter, recruiter, sam, form):
    before = _saved(form, recruiter)

    response = as_recruiter.post(form.url(sam), form.post(sam, "She is pregnant"))

    assert response.status_code == 200
    warning = _warning(response)
    assert f"{form.label}: <mark>pregnant</mark>" in warning
    assert "(Pregnancy or maternity)" in warning
    assert CONFIRM_ERROR in warning
    assert "Nothing was saved." in response.content.decode()
    assert _saved(form, recruiter) == before
    assert not SensitiveConfirmation.objects.exists()


@EVERY_FORM
@pytest.mark.parametrize("justification", ["", "   "])
def test_ticking_the_box_without_a_reason_still_saves_nothing(
    as_recruiter, recruiter, sam, form, justification
):
    before = _saved(form, recruiter)
    data = form.post(
        sam, "She is pregnant", sensitive_confirmed="on", sensitive_justification=justification
    )

    response = as_recruiter.post(form.url(sam), data)

    assert response.status_code == 200
    assert response.context["form"].errors["sensitive_justification"] == [REASON_ERROR]
    assert REASON_ERROR in _warning(response)
    assert _saved(form, recruiter) == before
    assert not SensitiveConfirmation.objects.exists()


@EVERY_FORM
def test_a_reason_without_ticking_the_box_still_saves_nothing(as_recruiter, recruiter, sam, form):
    before = _saved(form, recruiter)
    data = form.post(sam, "She is pregnant", sensitive_justification=REASON)

    response = as_recruiter.post(form.url(sam), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sensitive_confirmed"]
    assert _saved(form, recruiter) == before
    assert not SensitiveConfirmation.objects.exists()


@EVERY_FORM
def test_ticking_and_justifying_saves_and_records_the_reason(as_recruiter, recruiter, sam, form):
    data = form.post(sam, "She is pregnant", sensitive_confirmed="on")
    data["sensitive_justification"] = f"  {REASON}  "

    response = as_recruiter.post(form.url(sam), data)

    assert response.status_code == 302
    saved = form.model.objects.filter(owner=recruiter).latest("pk")
    assert getattr(saved, form.text_field) == "She is pregnant"
    confirmation = SensitiveConfirmation.objects.get()
    assert confirmation.object_type == form.object_type
    assert confirmation.object_id == saved.pk
    assert confirmation.categories == [SensitiveCategory.PREGNANCY]
    assert confirmation.justification == REASON
    assert confirmation.recorded_by == recruiter


@EVERY_FORM
def test_clean_text_saves_without_a_warning_or_a_record(as_recruiter, recruiter, sam, form):
    before = _saved(form, recruiter)
    data = form.post(sam, "Met at the Age of AI conference", **KEEP)

    response = as_recruiter.post(form.url(sam), data)

    assert response.status_code == 302
    assert _saved(form, recruiter) == before + 1
    assert not SensitiveConfirmation.objects.exists()


def test_the_quick_log_shows_the_warning_on_the_contacts_page(as_recruiter, sam):
    response = as_recruiter.post(
        QUICK_LOG_FORM.url(sam), QUICK_LOG_FORM.post(sam, "She is pregnant")
    )

    assert "contacts/contact_detail.html" in [t.name for t in response.templates]
    form_html = re.search(r'<form[^>]*id="log-activity".*?</form>', response.content.decode(), re.S)
    assert 'id="sensitive-findings"' in form_html.group(0)


def test_it_checks_every_guarded_field_of_an_activity(as_recruiter, recruiter, sam):
    data = {
        **_activity_data(sam),
        "summary": "Off sick since March",
        "outcome": "Aged 58, near retirement",
        "context": "Ramadan iftar at the mosque",
    }

    response = as_recruiter.post(ACTIVITY_FORM.url(sam), data)

    fields = [f.field for f in response.context["form"].findings]
    assert sorted(set(fields)) == ["Context", "Outcome", "Summary"]

    as_recruiter.post(ACTIVITY_FORM.url(sam), {**data, **KEEP})

    confirmation = SensitiveConfirmation.objects.get()
    assert confirmation.categories == ["age", "health", "religion"]


def _create_kept(client, form: Guarded, sam, text: str = "She is pregnant") -> Model:
    response = client.post(form.url(sam), form.post(sam, text, **KEEP))
    assert response.status_code == 302
    return form.model.objects.latest("pk")


@EDITABLE_FORMS
def test_editing_without_changing_the_text_does_not_flag_it_again(
    as_recruiter, recruiter, sam, form
):
    saved = _create_kept(as_recruiter, form, sam)
    edit_url = reverse(form.edit_url_name, args=[saved.pk])
    name, value = form.other_change

    response = as_recruiter.post(edit_url, form.post(sam, "She is pregnant", **{name: value}))

    assert response.status_code == 302
    saved.refresh_from_db()
    assert str(getattr(saved, name)) == value
    assert SensitiveConfirmation.objects.count() == 1


@EDITABLE_FORMS
def test_changing_to_new_flagged_text_flags_it_again(as_recruiter, recruiter, sam, form):
    saved = _create_kept(as_recruiter, form, sam)
    edit_url = reverse(form.edit_url_name, args=[saved.pk])
    changed = "She is pregnant and a practising Muslim"

    response = as_recruiter.post(edit_url, form.post(sam, changed))

    assert response.status_code == 200
    assert "<mark>practising Muslim</mark>" in _warning(response)
    saved.refresh_from_db()
    assert getattr(saved, form.text_field) == "She is pregnant"
    assert SensitiveConfirmation.objects.count() == 1

    response = as_recruiter.post(edit_url, form.post(sam, changed, **KEEP))

    assert response.status_code == 302
    latest = SensitiveConfirmation.objects.first()
    assert (latest.object_id, latest.categories) == (saved.pk, ["pregnancy", "religion"])
    assert SensitiveConfirmation.objects.count() == 2


def test_removing_the_flagged_text_saves_without_a_record(as_recruiter, recruiter, sam):
    response = as_recruiter.post(CONTACT_FORM.url(sam), CONTACT_FORM.post(sam, "She is pregnant"))
    assert response.status_code == 200

    response = as_recruiter.post(
        CONTACT_FORM.url(sam), CONTACT_FORM.post(sam, "Asked for interview adjustments")
    )

    assert response.status_code == 302
    assert Contact.objects.filter(owner=recruiter).count() == 2
    assert not SensitiveConfirmation.objects.exists()


def test_an_outsider_gets_404_and_nothing_is_recorded(as_outsider, sam):
    edit_url = reverse("contacts:contact_edit", args=[sam.pk])

    response = as_outsider.post(edit_url, CONTACT_FORM.post(sam, "She is pregnant", **KEEP))

    assert response.status_code == 404
    sam.refresh_from_db()
    assert sam.notes == ""
    assert not SensitiveConfirmation.objects.exists()


def test_a_manager_gets_403_and_nothing_is_recorded(manager, sam):
    client = client_for(manager)

    response = client.post(QUICK_LOG_FORM.url(sam), QUICK_LOG_FORM.post(sam, "pregnant", **KEEP))

    assert response.status_code == 403
    assert not Activity.objects.exists()
    assert not SensitiveConfirmation.objects.exists()


def test_get_on_the_quick_log_records_nothing(as_recruiter, sam):
    response = as_recruiter.get(
        QUICK_LOG_FORM.url(sam), QUICK_LOG_FORM.post(sam, "pregnant", **KEEP)
    )

    assert response.status_code == 405
    assert not Activity.objects.exists()
    assert not SensitiveConfirmation.objects.exists()


def test_deleting_a_contact_deletes_the_justification_for_its_notes(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    other = ContactFactory(owner=recruiter)
    for row in (contact, other):
        SensitiveConfirmation.objects.create(
            object_type="contacts.contact",
            object_id=row.pk,
            categories=["health"],
            justification="Asked for adjustments.",
            recorded_by=recruiter,
        )

    as_recruiter.post(reverse("contacts:contact_delete", args=[contact.pk]))

    assert list(SensitiveConfirmation.objects.values_list("object_id", flat=True)) == [other.pk]
