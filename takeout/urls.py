from django.urls import path

from takeout import views

app_name = "takeout"

urlpatterns = [
    path("contacts/export.csv", views.contacts_export, {"format": "csv"}, name="contacts_csv"),
    path("contacts/export.vcf", views.contacts_export, {"format": "vcard"}, name="contacts_vcard"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new/", views.calendar_new, name="calendar_new"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    # The token goes in the query string (?token=…), which access logs leave out.
    path("calendar/feed.ics", views.calendar_feed, name="calendar_feed"),
]
