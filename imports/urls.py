from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.detail, name="detail"),
    path("imports/<int:pk>/status/", views.status, name="status"),
    path("imports/<int:pk>/columns/", views.columns, name="columns"),
    path("imports/<int:pk>/rows/<int:row_pk>/", views.choose, name="choose"),
    path("imports/<int:pk>/duplicates/", views.choose_all, name="choose_all"),
    path("imports/<int:pk>/commit/", views.commit, name="commit"),
    path("imports/<int:pk>/cancel/", views.cancel, name="cancel"),
]
