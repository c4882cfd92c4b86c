"""portfolio.pseudonyms: a contact's stable pseudonym, and Pseudonymiser, which rewrites
free text about a learner's contacts (names, email, phone in any format, profile)."""

import pytest

from contacts.models import Contact, Kind
from portfolio.pseudonyms import PREFIX, Pseudonymiser, pseudonym
from tests.factories import ContactFactory


@pytest.fixture
def sam(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Sam",
        last_name="Okafor",
        kind=Kind.CLIENT,
        email="sam.okafor@northwind.example",
        phone="07700 900461",
        profile_url="https://www.linkedin.com/in/sokafor-77",
    )


@pytest.fixture
def dana(recruiter):
    return ContactFactory(
        owner=recruiter,
        first_name="Dana",
        last_name="Whitcombe",
        kind=Kind.HIRING_MANAGER,
        email="dana@halvard.example",
        phone="+44 20 7946 0321",
        profile_url="https://www.linkedin.com/in/dwhitcombe",
    )


def _rewrite(learner, text: str) -> str:
    return Pseudonymiser(learner).text(text)


# pseudonym()


def test_it_derives_the_pseudonym_from_the_kind_and_the_id():
    assert pseudonym(Contact(pk=31, kind=Kind.HIRING_MANAGER)) == "Hiring manager HM-0031"
    assert pseudonym(Contact(pk=12345, kind=Kind.CANDIDATE)) == "Candidate CA-12345"


@pytest.mark.parametrize("kind", Kind.values)
def test_it_prefixes_the_pseudonym_by_kind(kind):
    contact = Contact(pk=7, kind=kind)

    assert pseudonym(contact) == f"{Kind(kind).label} {PREFIX[kind]}-0007"


def test_it_gives_each_kind_its_own_prefix():
    assert sorted(PREFIX) == sorted(Kind)
    assert len(set(PREFIX.values())) == len(Kind)


def test_it_keeps_the_pseudonym_when_the_contact_changes_but_its_id_does_not(sam):
    before = pseudonym(sam)
    sam.first_name, sam.last_name, sam.email = "Samuel", "Okafor-Reid", "sam@elsewhere.example"
    sam.save()

    assert pseudonym(Contact.objects.get(pk=sam.pk)) == before
    assert str(sam.pk) in before and "Sam" not in before


def test_it_gives_two_contacts_different_pseudonyms(sam, dana, recruiter):
    twin = ContactFactory(owner=recruiter, first_name="Sam", last_name="Okafor", kind=Kind.CLIENT)

    assert len({pseudonym(sam), pseudonym(dana), pseudonym(twin)}) == 3


def test_it_names_a_contact_the_same_in_the_pseudonymiser(recruiter, sam, outsider):
    names = Pseudonymiser(recruiter)
    stranger = ContactFactory(owner=outsider)

    assert names.contact(sam) == pseudonym(sam)
    assert names.contact(stranger) == pseudonym(stranger)


# Pseudonymiser.text()


@pytest.mark.parametrize(
    "mention",
    [
        "Sam Okafor",
        "sam okafor",
        "SAM OKAFOR",
        "Sam",
        "sam",
        "Okafor",
        "OKAFOR",
        "sam.okafor@northwind.example",
        "Sam.Okafor@Northwind.Example",
        "07700 900461",
        "07700900461",
        "07700 900 461",
        "+44 7700 900461",
        "+447700900461",
        "+44 (0)7700 900461",
        "0044 7700 900461",
        "07700-900-461",
        "https://www.linkedin.com/in/sokafor-77",
        "HTTPS://WWW.LINKEDIN.COM/IN/SOKAFOR-77",
    ],
)
def test_it_replaces_each_way_of_naming_a_contact_with_their_pseudonym(recruiter, sam, mention):
    text = f"Met ({mention}) at the fintech breakfast."

    assert _rewrite(recruiter, text) == f"Met ({pseudonym(sam)}) at the fintech breakfast."


@pytest.mark.parametrize(
    "mention",
    [
        "+44 20 7946 0321",
        "020 7946 0321",
        "02079460321",
        "020-7946-0321",
        "(020) 7946 0321",
        "+44 (0)20 7946 0321",
    ],
)
def test_it_recognises_a_phone_stored_in_international_format(recruiter, dana, mention):
    rewritten = _rewrite(recruiter, f"Call {mention} first.")

    # "(020) ..." keeps its opening bracket; what matters is that no digit is left.
    assert rewritten.removeprefix("Call ").removeprefix("(") == f"{pseudonym(dana)} first."


def test_it_gives_each_contact_their_own_pseudonym_in_one_text(recruiter, sam, dana):
    text = "Sam Okafor introduced Dana; Whitcombe wrote to sam.okafor@northwind.example."

    s, d = pseudonym(sam), pseudonym(dana)
    assert _rewrite(recruiter, text) == f"{s} introduced {d}; {d} wrote to {s}."


def test_it_replaces_the_full_name_once_not_each_half(recruiter, sam):
    assert _rewrite(recruiter, "Sam Okafor said yes.") == f"{pseudonym(sam)} said yes."


def test_it_replaces_a_name_before_punctuation_and_possessives(recruiter, sam):
    text = "Sam's team, Okafor. (Sam)"

    label = pseudonym(sam)
    assert _rewrite(recruiter, text) == f"{label}'s team, {label}. ({label})"


@pytest.mark.parametrize(
    "text",
    [
        "Samsung and Samantha called.",
        "The Okaforian approach.",
        "Dayo-Okafor2 is someone else.",
        "Not Sam_Okafor_fan either.",
        "Ring 07700 9004612 instead.",
        "Ticket 107700900461 closed.",
    ],
)
def test_it_replaces_whole_words_only(recruiter, sam, text):
    assert _rewrite(recruiter, text) == text


def test_it_leaves_text_without_contacts_unchanged(recruiter, sam, dana):
    text = "Went to the fintech breakfast; two warm introductions. Call back on Monday."

    assert _rewrite(recruiter, text) == text


def test_it_leaves_other_learners_contacts_alone(recruiter, sam, outsider):
    ContactFactory(
        owner=outsider,
        first_name="Zoltan",
        last_name="Quillfeather",
        email="zq@elsewhere.example",
        phone="07700 900999",
    )
    text = "Zoltan Quillfeather (zq@elsewhere.example, 07700 900999) met Sam."

    assert _rewrite(recruiter, text) == (
        f"Zoltan Quillfeather (zq@elsewhere.example, 07700 900999) met {pseudonym(sam)}."
    )


def test_it_works_for_a_learner_with_no_contacts(recruiter, outsider):
    ContactFactory(owner=outsider, first_name="Sam", last_name="Okafor")
    text = "Sam Okafor, sam@example.com, 07700 900461."

    assert _rewrite(recruiter, text) == text
    assert _rewrite(recruiter, "") == ""


def test_it_copes_with_a_contact_without_last_name_email_phone_or_profile(recruiter):
    cher = ContactFactory(
        owner=recruiter, first_name="Cher", last_name="", email="", phone="", profile_url=""
    )

    assert _rewrite(recruiter, "Cher called; Chervil did not.") == (
        f"{pseudonym(cher)} called; Chervil did not."
    )


def test_it_replaces_a_name_with_a_dotted_capital_i(recruiter):
    ilker = ContactFactory(owner=recruiter, first_name="İlker", last_name="Yıldız")

    assert _rewrite(recruiter, "İlker Yıldız called; then İlker again.") == (
        f"{pseudonym(ilker)} called; then {pseudonym(ilker)} again."
    )


def test_it_does_not_crash_on_a_name_in_a_case_lower_does_not_map_back(recruiter):
    ilker = ContactFactory(owner=recruiter, first_name="Ilker", last_name="Yildiz")

    assert _rewrite(recruiter, "İlker called.") == f"{pseudonym(ilker)} called."
