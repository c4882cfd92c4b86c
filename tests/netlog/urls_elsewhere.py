"""The whole URLconf under /elsewhere/ (tests of netlog.paths)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("netlog.urls"))]
