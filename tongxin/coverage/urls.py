from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("new/", views.new_org_create, name="create"),
    path("<int:pk>/edit/", views.new_org_edit, name="edit"),
    path("<int:pk>/party-form/", views.party_form_edit, name="party_form"),
    path("<int:pk>/mass/", views.mass_edit, name="mass"),
    path("<int:pk>/union-chair/", views.union_chair_edit, name="union_chair"),
    path("<int:pk>/members/", views.members_edit, name="members"),
    path("<int:pk>/instructor/", views.instructor_edit, name="instructor"),
    path("<int:pk>/visits/new/", views.visit_new, name="visit"),
    path("<int:pk>/deregister/", views.deregister, name="deregister"),
    path("registry/", views.registry_index, name="registry"),
    path("registry/upload/", views.registry_upload, name="upload"),
    path("registry/template.xlsx", views.registry_template, name="template"),
    path("registry/export.xlsx", views.registry_export, name="export"),
    path("registry/batches/<int:pk>/", views.batch, name="batch"),
    path("registry/batches/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("registry/batches/<int:pk>/undo/", views.batch_undo, name="batch_undo"),
]
