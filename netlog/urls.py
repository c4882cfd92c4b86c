from django.contrib import admin
from django.urls import include, path

from contacts.views import dashboard

admin.site.site_header = "netlog administration"

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", include("contacts.urls")),
    path("", include("consent.urls")),
    path("", include("privacy.urls")),
    path("", include("reviews.urls")),
    path("", include("portfolio.urls")),
    path("", include("imports.urls")),
    path("", include("takeout.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
