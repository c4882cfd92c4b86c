import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from consent.models import Basis
from contacts.models import Activity, ActivityType, Channel, Contact, Direction, Kind, Tag
from netlog.access import owners_visible_to
from netlog.params import MAX_ID

PROFESSIONAL = "professional"
MAX_SEARCH_TERMS = 5


def search_terms(value: str) -> list[str]:
    return value.split()[:MAX_SEARCH_TERMS]


def match_all_terms(queryset: QuerySet, value: str, fields: list[str]) -> QuerySet:
    """Every word must appear in at least one of `fields` (case-insensitive)."""
    for term in search_terms(value):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        queryset = queryset.filter(any_field)
    return queryset


def _no_op(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset  # sort is applied by the keyset paginator, not as a filter


class OwnerFilterMixin:
    """Managers and the DPO can narrow a list to one recruiter; recruiters see only
    their own work, so they get no owner filter at all."""

    def _setup_owner_filter(self, user: User) -> None:
        if user.role == Role.RECRUITER:
            del self.filters["owner"]
        else:
            self.filters["owner"].queryset = owners_visible_to(user)


class ContactFilter(OwnerFilterMixin, django_filters.FilterSet):
    SORTS = {
        "name": ("Name", ["last_name", "first_name", "id"]),
        "organisation": ("Organisation", ["organisation", "id"]),
        "newest": ("Newest first", ["-created_at", "-id"]),
    }
    MAX_TAG_SUGGESTIONS = 200

    q = django_filters.CharFilter(
        method="search", label="Search", help_text="Name, organisation or email"
    )
    kind = django_filters.ChoiceFilter(
        label="Relationship",
        choices=[(PROFESSIONAL, "All professional"), *Kind.choices],
        method="filter_kind",
        empty_label="Any relationship",
    )
    source_channel = django_filters.ChoiceFilter(
        label="How you met", choices=Channel.choices, empty_label="Any channel"
    )
    # Free text with suggestions rather than a select: a select of every tag in a
    # team or the whole agency would be thousands of options on every page load.
    basis = django_filters.ChoiceFilter(
        label="Lawful basis",
        choices=[("valid", "Valid"), ("missing", "None valid"), ("expired", "Consent expired")],
        method="filter_basis",
        empty_label="Any",
    )
    tag = django_filters.CharFilter(
        label="Tag",
        method="filter_tag",
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )
    owner = django_filters.ModelChoiceFilter(
        label="Recruiter", queryset=User.objects.none(), empty_label="Any recruiter"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method=_no_op,
        empty_label=None,
    )

    class Meta:
        model = Contact
        fields = ["q", "kind", "source_channel", "basis", "tag", "owner", "sort"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_owner_filter(user)
        if user.role == Role.MANAGER:
            # Personal contacts are hidden from managers (netlog.access): the choice could
            # only ever show nothing, after reading the whole team's list to find that out.
            kinds = self.filters["kind"].extra
            kinds["choices"] = [c for c in kinds["choices"] if c[0] != Kind.PERSONAL]
        self.user = user

    @property
    def tag_suggestions(self) -> list[str]:
        """The user's own tags (a manager or the DPO types a tag name instead)."""
        own = Tag.objects.filter(owner=self.user).order_by("name")
        return list(own.values_list("name", flat=True)[: self.MAX_TAG_SUGGESTIONS])

    @property
    def ordering(self) -> list[str]:
        # Read the sort even when another field is invalid: the form keeps valid fields.
        self.form.is_valid()
        sort = self.form.cleaned_data.get("sort") or "name"
        return self.SORTS[sort][1]

    @property
    def searching(self) -> bool:
        """Whether a search term narrows the list (the paginator sorts the matches)."""
        self.form.is_valid()
        return bool(self.form.cleaned_data.get("q"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return match_all_terms(
            queryset, value, ["first_name", "last_name", "organisation", "email"]
        )

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == PROFESSIONAL:
            return queryset.professional()
        return queryset.filter(kind=value)

    def filter_basis(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "valid":
            return queryset.with_valid_basis(today)
        if value == "expired":  # due a re-consent request
            return queryset.filter(lawful_basis=Basis.CONSENT, consent_expires_on__lt=today)
        return queryset.without_valid_basis(today)

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # EXISTS rather than a join, so a contact never appears twice. A contact's tags
        # are its owner's: saying so lets PostgreSQL read the one tag of that name the
        # owner has, not every recruiter's (a recruiter's "active": 36 ms, now 1.5).
        name = " ".join(value.split()).lower()  # tags are stored normalised
        tagged = Contact.tags.through.objects.filter(
            contact=OuterRef("pk"), tag__name=name, tag__owner=OuterRef("owner")
        )
        return queryset.filter(Exists(tagged))


class ActivityFilter(OwnerFilterMixin, django_filters.FilterSet):
    FOLLOW_UP_CHOICES = [("open", "Open"), ("overdue", "Overdue"), ("done", "Done")]

    q = django_filters.CharFilter(
        method="search", label="Search", help_text="Summary, context or outcome"
    )
    type = django_filters.ChoiceFilter(choices=ActivityType.choices, empty_label="Any type")
    direction = django_filters.ChoiceFilter(
        label="Value", choices=Direction.choices, empty_label="Any direction"
    )
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    follow_up = django_filters.ChoiceFilter(
        label="Follow-up", choices=FOLLOW_UP_CHOICES, method="filter_follow_up", empty_label="Any"
    )
    contact = django_filters.NumberFilter(
        method="filter_contact",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
    )
    owner = django_filters.ModelChoiceFilter(
        label="Recruiter", queryset=User.objects.none(), empty_label="Any recruiter"
    )

    class Meta:
        model = Activity
        fields = ["q", "type", "direction", "date_from", "date_to", "follow_up", "contact", "owner"]

    def __init__(self, *args, user: User, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self._setup_owner_filter(user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return match_all_terms(queryset, value, ["summary", "context", "outcome"])

    def filter_follow_up(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            return queryset.follow_ups_overdue(self.today)
        if value == "done":
            return queryset.filter(follow_up_done_at__isnull=False)
        return queryset.follow_ups_open()

    def filter_contact(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        involved = Activity.contacts.through.objects.filter(
            activity=OuterRef("pk"), contact_id=value
        )
        return queryset.filter(Exists(involved))
