from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.reviews_home, name="home"),
    path("contacts/<int:pk>/review/", views.review_create, name="review_create"),
    path("contacts/<int:pk>/cadence/", views.cadence_edit, name="cadence_edit"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/action-done/", views.review_action_done, name="review_action_done"),
    path("reviews/cadence/", views.cadence_kinds, name="cadence_kinds"),
    path("reflections/", views.reflection_list, name="reflection_list"),
    path("reflections/new/", views.reflection_create, name="reflection_create"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection_detail"),
    path("reflections/<int:pk>/edit/", views.reflection_edit, name="reflection_edit"),
    path("reflections/<int:pk>/delete/", views.reflection_delete, name="reflection_delete"),
    path(
        "evidence/<str:kind>/<int:pk>/",
        views.evidence_edit,
        name="evidence_edit",
    ),
    path("coverage/", views.coverage, name="coverage"),
    path("reviews/health/", views.health, name="health"),
    path("reminders/", views.reminders, name="reminders"),
]

urlpatterns += [
    path("testimonies/", views.testimony_list, name="testimony_list"),
    path("testimonies/new/", views.testimony_write, name="testimony_write"),
    path("testimonies/<int:pk>/", views.testimony_detail, name="testimony_detail"),
    path(
        "contacts/<int:pk>/testimony-request/",
        views.testimony_request_create,
        name="testimony_request_create",
    ),
    path("testimony/", views.testimony_public, name="testimony_public"),
]
