from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("contacts/<int:pk>/basis/", views.basis_edit, name="basis_edit"),
    path("contacts/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("contacts/<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
