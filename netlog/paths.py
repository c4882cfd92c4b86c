"""reverse() for the detail pages that every row of a list links to.

Django's reverse() looks up the URLconf, the script prefix and the language for each
call, about 0.05 ms, and a list page makes one or two per row. `path_to` reverses a
view once per URLconf and script prefix, with a marker for the id, and puts each id in
its place. Only for views whose one argument is an integer id.
"""

import functools
from collections.abc import Callable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

MARK = 2147483647  # an id no row has yet; it appears once in the reversed path


def path_to(viewname: str, pk: int) -> str:
    """reverse(viewname, args=[pk])."""
    return paths_to(viewname)(pk)


def paths_to(viewname: str) -> Callable[[int], str]:
    """`path_to` for one view, for a list's rows: the URLconf and script prefix are
    looked up once (a few microseconds each, as many as the rest of a row's path)."""
    head, _, tail = _pattern(viewname, get_urlconf(), get_script_prefix()).partition(str(MARK))
    return lambda pk: f"{head}{int(pk)}{tail}"


@functools.cache
def _pattern(viewname: str, urlconf, prefix: str) -> str:
    return reverse(viewname, args=[MARK], urlconf=urlconf)


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # as django.test.signals clears reverse()'s caches
        _pattern.cache_clear()
