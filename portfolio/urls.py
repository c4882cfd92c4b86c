from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.home, name="home"),
    path("portfolio/<int:pk>/", views.learner, name="learner"),
    path("portfolio/<int:pk>/exports/", views.export_create, name="export_create"),
    path("portfolio/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("portfolio/exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("portfolio/exports/<int:pk>/pack.zip", views.export_download, name="export_download"),
    path("portfolio/exports/<int:pk>/pack.pdf", views.export_pdf, name="export_pdf"),
    path("portfolio/verify/", views.pack_verify, name="pack_verify"),
    path(
        "portfolio/<int:pk>/criteria/<int:criterion_pk>/sign-off/",
        views.sign_off,
        name="sign_off",
    ),
]
