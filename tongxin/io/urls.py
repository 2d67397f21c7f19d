from django.urls import path

from . import views

app_name = "io"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template_download, name="template"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("batches/<int:pk>/retry/", views.retry, name="retry"),
    path("batches/<int:pk>/undo/", views.undo, name="undo"),
    path("batches/<int:pk>/undo-status/", views.undo_status, name="undo_status"),
    path("export/", views.export_roster, name="export"),
]
