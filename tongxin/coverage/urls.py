from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("registry/", views.registry_index, name="registry"),
    path("registry/upload/", views.registry_upload, name="upload"),
    path("registry/template.xlsx", views.registry_template, name="template"),
    path("registry/export.xlsx", views.registry_export, name="export"),
    path("registry/batches/<int:pk>/", views.batch, name="batch"),
    path("registry/batches/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("registry/batches/<int:pk>/undo/", views.batch_undo, name="batch_undo"),
]
