from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("contacts/<int:pk>/basis/", views.basis_edit, name="basis_edit"),
    path("contacts/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("contacts/<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("contacts/<int:pk>/notice/", views.notice_deliver, name="notice_deliver"),
    path("contacts/<int:pk>/disclosures/", views.disclosure_add, name="disclosure_add"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/notices/new/", views.notice_publish, name="notice_publish"),
]
