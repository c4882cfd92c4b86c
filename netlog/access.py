"""Who may see and change what: the one place where rows are scoped to a user.

Every view fetches objects through these helpers, never by id alone:

- a recruiter sees and changes only their own rows;
- a manager reads the rows of the recruiters in the teams they manage, and changes none,
  and never sees their personal / social contacts;
- the data protection officer reads the whole organisation (access and erasure requests);
- an assessor sees nothing here (their read-only portfolio access is scoped elsewhere).

An object outside the reader's scope answers 404, so a guessed id reveals nothing. An
object the user may read but not change answers 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.deprecation import MiddlewareMixin

from accounts.models import Role, User

M = TypeVar("M", bound=Model)


def _scope(user: User, owner_field: str) -> Q | None:
    """The filter that keeps what `user` may read; None means everything."""
    prefix = f"{owner_field}__" if owner_field else ""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.RECRUITER:
        return Q(**{owner_field or "pk": user.pk})
    if user.role == Role.MANAGER:
        return Q(**{f"{prefix}team__manager": user.pk})
    if user.role == Role.DPO:
        return None
    return Q(pk__in=[])


def visible_to(queryset: QuerySet[M], user: User, *, owner_field: str = "owner") -> QuerySet[M]:
    """The rows of `queryset` that `user` may read.

    A manager reads the team's *work*: a model may name the rows that are the
    recruiter's private life (`personal_rows()`, e.g. personal / social contacts), and
    those stay hidden from managers. The DPO still sees them: a person's right of
    access and erasure covers every record, private or not.
    """
    scope = _scope(user, owner_field)
    if scope is None:
        return queryset
    queryset = queryset.filter(scope)
    personal_rows = getattr(queryset.model, "personal_rows", None)
    if user.role == Role.MANAGER and personal_rows is not None:
        queryset = queryset.exclude(personal_rows())
    return queryset


def _may_edit_anything(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.RECRUITER


def editable_by(queryset: QuerySet[M], user: User, *, owner_field: str = "owner") -> QuerySet[M]:
    """The rows of `queryset` that `user` may change (and link to): a recruiter's own."""
    if not _may_edit_anything(user):
        return queryset.none()
    return queryset.filter(**{owner_field: user.pk})


def can_edit(obj: Model, user: User, *, owner_field: str = "owner") -> bool:
    """Only a recruiter changes a row, and only their own."""
    return _may_edit_anything(user) and getattr(obj, f"{owner_field}_id") == user.pk


def get_visible_or_404(queryset: QuerySet[M], user: User, **lookup) -> M:
    return get_object_or_404(visible_to(queryset, user), **lookup)


def get_editable_or_404(queryset: QuerySet[M], user: User, **lookup) -> M:
    """404 for what the user cannot see, 403 for what they can see but not change."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not can_edit(obj, user):
        raise PermissionDenied("You can read this record but not change it.")
    return obj


def owners_visible_to(user: User) -> QuerySet[User]:
    """The recruiters whose work `user` may read (for owner filters)."""
    recruiters = User.objects.filter(role=Role.RECRUITER)
    return visible_to(recruiters, user, owner_field="").order_by("first_name", "last_name")


def role_required(role: str, refusal: str) -> Callable:
    """A view only `role` may use; everyone else gets 403 with `refusal`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role != role:
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


recruiter_required = role_required(Role.RECRUITER, "Only recruiters keep a network.")
dpo_required = role_required(Role.DPO, "Only the data protection officer does this.")


def learners_for(user: User) -> QuerySet[User]:
    """The learners (recruiters) whose portfolio `user` may read: their own for a
    recruiter, the team's for a manager, the assigned ones for an assessor."""
    recruiters = User.objects.filter(role=Role.RECRUITER, is_active=True)
    if not user.is_authenticated or not user.is_active:
        return recruiters.none()
    if user.role == Role.RECRUITER:
        return recruiters.filter(pk=user.pk)
    if user.role == Role.MANAGER:
        return owners_visible_to(user)
    if user.role == Role.ASSESSOR:
        return recruiters.filter(assessed_by__assessor=user).order_by("first_name", "last_name")
    return recruiters.none()


# What an assessor may open: the portfolios (the app), the privacy notices every member
# of staff may read, the home page (which sends them to the portfolios), signing out.
ASSESSOR_APPS = {"portfolio"}
ASSESSOR_PAGES = {"consent:privacy", "dashboard", "logout"}
ASSESSOR_REFUSAL = "An assessor reads the portfolios of their learners, nothing else."


class AssessorScopeMiddleware(MiddlewareMixin):
    """An assessor reads and exports the portfolios of the learners assigned to them,
    nothing else (DESIGN.md): every other page answers 403, however its view scopes
    its rows, so a page added later is closed to them until it is named here. Public
    pages (login_not_required) and the admin (which checks staff itself) are left to
    their own rules."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.role != Role.ASSESSOR:
            return None
        match = request.resolver_match
        if (
            match.app_name in ASSESSOR_APPS | {"admin"}
            or match.view_name in ASSESSOR_PAGES
            or not getattr(view_func, "login_required", True)
        ):
            return None
        raise PermissionDenied(ASSESSOR_REFUSAL)
