"""The pack's PDF: WeasyPrint lays out portfolio/pack.html, which shares its criterion
and coverage parts with the screen, with page numbers and a table of contents."""

import weasyprint
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher


class FetchNothing(URLFetcher):
    """The pack's HTML and CSS are inline and its fonts the system's: nothing is
    fetched, so a URL that reached the HTML could never make the server request it.
    (WeasyPrint leaves out what it could not fetch and goes on.)"""

    def fetch(self, url, headers=None):
        raise ValueError("the portfolio PDF fetches no resources")


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html, url_fetcher=FetchNothing()).write_pdf()


def render_pdf(contents) -> bytes:
    return html_to_pdf(render_to_string("portfolio/pack.html", {"pack": contents}))
