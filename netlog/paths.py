"""reverse() for the detail pages that every row of a list links to.

Django's reverse() looks up the URLconf, the script prefix and the language for each
call, about 0.05 ms, and a list page makes one or two per row. `path_to` reverses a
view once per URLconf and script prefix, with a marker for the id, and puts each id in
its place. Only for views whose one argument is an integer id.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

MARK = 2147483647  # an id no row has yet; it appears once in the reversed path


def path_to(viewname: str, pk: int) -> str:
    """reverse(viewname, args=[pk])."""
    pattern = _pattern(viewname, get_urlconf(), get_script_prefix())
    return pattern.replace(str(MARK), str(int(pk)), 1)


@functools.cache
def _pattern(viewname: str, urlconf, prefix: str) -> str:
    return reverse(viewname, args=[MARK], urlconf=urlconf)


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # as django.test.signals clears reverse()'s caches
        _pattern.cache_clear()
