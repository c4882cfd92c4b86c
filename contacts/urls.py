from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:pk>/log/", views.contact_log_activity, name="contact_log_activity"),
    path("contacts/duplicates/", views.contact_duplicates, name="contact_duplicates"),
    path("contacts/<int:pk>/merge/<int:other_pk>/", views.contact_merge, name="contact_merge"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path(
        "activities/<int:pk>/follow-up-done/",
        views.activity_follow_up_done,
        name="activity_follow_up_done",
    ),
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/delete/", views.outcome_delete, name="outcome_delete"),
]
