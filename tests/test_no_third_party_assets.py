"""netlog holds personal data: no page may make a request to a third party (a CDN
would learn who looks at whom). Every script, stylesheet and image is our own."""

import re

from django.contrib.staticfiles import finders

from tests.factories import ContactFactory

ASSET = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"')


def assert_own_assets(url: str, html: str) -> None:
    assets = ASSET.findall(html)
    assert assets, url
    for asset in assets:
        assert asset.startswith("/static/"), f"{url} loads {asset}"
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not installed"


def test_every_asset_on_the_pages_is_served_by_netlog(as_recruiter, recruiter):
    contact = ContactFactory(owner=recruiter)
    for url in ["/", "/contacts/", f"/contacts/{contact.pk}/", "/activities/", "/outcomes/"]:
        assert_own_assets(url, as_recruiter.get(url).content.decode())


def test_the_sign_in_page_loads_nothing_from_elsewhere(client, db):
    assert_own_assets("/accounts/login/", client.get("/accounts/login/").content.decode())
