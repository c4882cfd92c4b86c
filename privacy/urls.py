from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/requests/", views.request_list, name="request_list"),
    path("privacy/requests/new/", views.request_new, name="request_new"),
    path("privacy/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("privacy/requests/<int:pk>/link/", views.request_link, name="request_link"),
    path(
        "privacy/requests/<int:pk>/unlink/<int:contact_pk>/",
        views.request_unlink,
        name="request_unlink",
    ),
    path("privacy/requests/<int:pk>/verify/", views.request_verify, name="request_verify"),
    path("privacy/requests/<int:pk>/extend/", views.request_extend, name="request_extend"),
    path("privacy/requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("privacy/requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
    path("privacy/requests/<int:pk>/erase/", views.request_carry_out, name="request_carry_out"),
    path("privacy/requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("privacy/requests/<int:pk>/report/", views.access_report, name="access_report"),
    path("privacy/requests/<int:pk>/report.json", views.access_download, name="access_download"),
    path("privacy/audit/", views.audit_list, name="audit_list"),
    path("privacy/retention/", views.retention, name="retention"),
]
