"""Every free-text field of netlog's models, in one list: each CharField or TextField
(EmailField and URLField included) is either COVERED, that is the hostile-input browser
tests (tests/browser/test_hostile_input*.py) put a script payload in it and open every
page that shows it as each role named, or EXCLUDED, because no one can type free text
into it, with the reason. tests/test_hostile_fields.py fails when a model gains a field
that is in neither list, so no new field goes unchecked.

The payloads are here too: the browser tests type them, and a field counts as holding
one when its value contains one of MARKERS. Each field's payload carries the field's own
tag (tagged()), so the tests check that every field listed for a role was shown on a
page that role's test opened, not only that the field held a payload."""

# Each part would set window.pwned if a page let it run: a script, a handler on an
# image that fails to load, an attribute break-out, a javascript: URL. 143 characters,
# 146 with a tag (below).
PAYLOAD = (
    '<script>window.pwned=1</script><img src=/nowhere onerror="window.pwned=2">'
    '"\' onfocus="window.pwned=3" <a href="javascript:window.pwned=4">x</a>'
)
SHORT = '<b onmouseover="window.pwned=5">b</b>'  # for fields of 40 to 145 characters
TINY = "<i onx>"  # for codes of 10 to 39 characters: an element with a handler-like name
# A valid email address (a quoted local part takes <, > and =) and a valid URL (its
# path takes anything but spaces): the validators let markup through both.
EMAIL = '"<svg/onload=window.pwned=6>"@example.com'
URL = 'https://example.com/"><svg/onload=window.pwned=7>'
# What a field holding a payload contains.
MARKERS = ("window.pwned", " onx")

# Who opens the pages: the roles, the recruiter importing a file (a test of its own),
# the external witness (no account) and a superuser in Django's admin.
RECRUITER, IMPORTER, MANAGER, DPO, ASSESSOR, WITNESS, ADMIN = (
    "recruiter",
    "importer",
    "manager",
    "dpo",
    "assessor",
    "witness",
    "admin",
)
ROLES = {RECRUITER, IMPORTER, MANAGER, DPO, ASSESSOR, WITNESS, ADMIN}

# "app_label.Model.field": the roles whose pages showing the field are opened with a
# payload in it.
COVERED: dict[str, tuple[str, ...]] = {
    # The people: their names are shown to their managers, the DPO, their assessors and
    # the witnesses they ask; users and teams are edited in the admin.
    "accounts.Team.name": (ADMIN,),
    "accounts.User.first_name": (RECRUITER, MANAGER, DPO, ASSESSOR, WITNESS, ADMIN),
    "accounts.User.last_name": (RECRUITER, MANAGER, DPO, ASSESSOR, WITNESS, ADMIN),
    "accounts.User.email": (ADMIN,),
    # The network.
    "contacts.Tag.name": (RECRUITER, MANAGER, DPO, ADMIN),
    "contacts.Contact.first_name": (RECRUITER, MANAGER, DPO, WITNESS, ADMIN),
    "contacts.Contact.last_name": (RECRUITER, MANAGER, DPO, WITNESS, ADMIN),
    "contacts.Contact.organisation": (RECRUITER, MANAGER, DPO, ADMIN),
    "contacts.Contact.role": (RECRUITER, MANAGER, DPO, ADMIN),
    "contacts.Contact.email": (RECRUITER, MANAGER, DPO, ADMIN),
    "contacts.Contact.profile_url": (RECRUITER, MANAGER, DPO, ADMIN),
    "contacts.Contact.notes": (RECRUITER, MANAGER, DPO, ADMIN),
    "contacts.Activity.context": (RECRUITER, MANAGER, DPO, ASSESSOR, WITNESS),
    "contacts.Activity.summary": (RECRUITER, MANAGER, DPO, ASSESSOR),
    "contacts.Activity.outcome": (RECRUITER, MANAGER, DPO, ASSESSOR),
    "contacts.Outcome.notes": (RECRUITER, MANAGER, DPO, ASSESSOR),
    # Data protection.
    "consent.PrivacyNotice.text": (RECRUITER, MANAGER, DPO),
    "consent.LawfulBasisRecord.li_purpose": (RECRUITER, MANAGER, DPO),
    "consent.LawfulBasisRecord.li_necessity": (RECRUITER, MANAGER, DPO),
    "consent.LawfulBasisRecord.li_balance": (RECRUITER, MANAGER, DPO),
    "consent.BankHoliday.name": (ADMIN,),
    "consent.Disclosure.recipient": (RECRUITER, MANAGER, DPO),
    "privacy.DataRequest.requester_name": (DPO,),
    "privacy.DataRequest.requester_email": (DPO,),
    "privacy.DataRequest.extension_reason": (DPO,),
    "privacy.DataRequest.refusal_reason": (DPO,),
    "privacy.SensitiveTerm.pattern": (ADMIN,),
    "privacy.SensitiveConfirmation.justification": (DPO,),
    # Reviews, reflections, testimonies.
    "reviews.Review.rationale": (RECRUITER, MANAGER, DPO, ASSESSOR),
    "reviews.Review.next_actions": (RECRUITER, MANAGER, DPO),
    "reviews.Reflection.title": (RECRUITER, MANAGER, DPO, ASSESSOR),
    "reviews.Reflection.text": (RECRUITER, MANAGER, DPO, ASSESSOR),
    "reviews.TestimonyRequest.message": (DPO, WITNESS),
    # The witness's own words are shown back to them on the link's page.
    "reviews.Testimony.witness_name": (RECRUITER, MANAGER, DPO, ASSESSOR, WITNESS),
    "reviews.Testimony.witness_role": (RECRUITER, MANAGER, DPO, WITNESS),
    "reviews.Testimony.text": (RECRUITER, MANAGER, DPO, ASSESSOR, WITNESS),
    # The qualification's unit: data loaded from a file or edited in the admin.
    "reviews.Unit.code": (RECRUITER, MANAGER, ASSESSOR, ADMIN),
    "reviews.Unit.title": (ADMIN,),
    "reviews.Unit.awarding_body": (ADMIN,),
    "reviews.LearningOutcome.text": (RECRUITER, MANAGER, ASSESSOR, ADMIN),
    "reviews.Criterion.code": (RECRUITER, MANAGER, DPO, ASSESSOR, ADMIN),
    "reviews.Criterion.text": (RECRUITER, MANAGER, DPO, ASSESSOR, ADMIN),
    "reviews.SignOff.comment": (RECRUITER, MANAGER, ASSESSOR),
    # The portfolio pack.
    "portfolio.Export.names_note": (RECRUITER, ASSESSOR),
    # Imports: the uploaded file's name and cells.
    "imports.Batch.file_name": (IMPORTER,),
    "imports.PreviewRow.first_name": (IMPORTER,),
    "imports.PreviewRow.last_name": (IMPORTER,),
    "imports.PreviewRow.email": (IMPORTER,),
    "imports.PreviewRow.profile_url": (IMPORTER,),  # not on the preview: on the contact made
    "imports.PreviewRow.organisation": (IMPORTER,),
    "imports.PreviewRow.role": (IMPORTER,),
}


def tag(label: str) -> str:
    """The field's own token, "~" and its two-digit number in COVERED: a page whose text
    holds it shows that field. Three characters, so the shortest field (a criterion's
    code, 10) still takes TINY with it."""
    return f"~{list(COVERED).index(label) + 1:02d}"


def tagged(label: str, payload: str = PAYLOAD) -> str:
    """`payload` as the field `label` holds it: with its tag just before its first
    markup, the one place every kind of payload takes it (inside an email's quotes, in
    a URL's path) and near the start, where a page that shortens a text keeps it."""
    return payload.replace("<", tag(label) + "<", 1)


CHOICES = "one of the field's choices, checked by a database constraint or the form"
HASH = "a SHA-256 or HMAC hex digest worked out by netlog"
PHONE = "phone_validator allows only digits, spaces and + ( ) - ."

EXCLUDED: dict[str, str] = {
    "accounts.User.password": "a password hash",
    "accounts.User.username": "Django's username validator allows only letters, digits and @.+-_",
    "accounts.User.role": CHOICES,
    "contacts.Contact.kind": CHOICES,
    "contacts.Contact.source_channel": CHOICES,
    "contacts.Contact.phone": PHONE,
    "contacts.Contact.lawful_basis": CHOICES + " (not editable: consent.services keeps it)",
    "contacts.Contact.last_decision": "a Decision value copied by reviews.summary",
    "contacts.Activity.type": CHOICES,
    "contacts.Activity.direction": CHOICES,
    "contacts.Outcome.kind": CHOICES,
    "consent.LawfulBasisRecord.basis": CHOICES,
    "consent.ConsentRecord.event": CHOICES,
    "consent.ConsentRecord.method": CHOICES,
    "consent.NoticeDelivery.method": CHOICES,
    "consent.Disclosure.what": CHOICES,
    "privacy.AuditEvent.action": CHOICES,
    "privacy.AuditEvent.object_type": "a model's label (app.model), written by audit_log",
    "privacy.AuditEvent.detail": "written by netlog's code from fixed words and numbers, "
    "never from what a user typed (the log holds no personal data)",
    "privacy.DataRequest.kind": CHOICES,
    "privacy.DataRequest.status": CHOICES,
    "privacy.DataRequest.requester_phone": PHONE,
    "privacy.DataRequest.received_how": CHOICES,
    "privacy.DataRequest.identity_method": CHOICES,
    "privacy.DataRequest.outcome": "written by privacy.services from counts and fixed words",
    "privacy.Suppression.digest": HASH,
    "privacy.RetainedRecord.name": "copied from an erased contact's name (covered there); "
    "shown on no page",
    "privacy.RetainedRecord.email": "copied from an erased contact's email (covered there); "
    "shown on no page",
    "privacy.RetainedRecord.kind": "a contact's Kind value, copied at erasure",
    "privacy.SensitiveTerm.category": CHOICES,
    "privacy.SensitiveConfirmation.object_type": "a model's label (app.model), written by the form",
    "reviews.Review.decision": CHOICES,
    "reviews.Cadence.kind": CHOICES,
    "reviews.TestimonyRequest.token_hash": HASH,
    "reviews.Testimony.relationship": CHOICES,
    "reviews.Testimony.checksum": HASH,
    "reviews.ActivityDay.direction": CHOICES,
    "portfolio.Export.status": CHOICES,
    "portfolio.Export.sha256": HASH,
    "portfolio.Export.names_reason": CHOICES,
    "imports.Batch.source": CHOICES,
    "imports.Batch.kind": CHOICES,
    "imports.Batch.channel": CHOICES,
    "imports.Batch.status": CHOICES,
    "imports.PreviewRow.action": CHOICES,
    "imports.PreviewRow.why": CHOICES,
    "imports.PreviewRow.phone": PHONE + " (a phone that fails it is left out of the row)",
    "imports.PreviewRow.notes": "written by imports.services: the LinkedIn connection date",
    "imports.PreviewRow.remarks": "written by imports.services from fixed remarks and line numbers",
    "takeout.CalendarFeed.token_hash": HASH,
}
