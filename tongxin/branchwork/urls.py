from django.urls import path

from . import views

app_name = "branchwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("liaison/", views.liaison, name="liaison"),
    path("liaison/assign/", views.assign, name="assign"),
    path("liaison/assignments/<int:pk>/", views.assignment_edit, name="assignment_edit"),
    path("liaison/unvisited/", views.unvisited, name="unvisited"),
    path("liaison/visits/new/", views.visit_create, name="visit_create"),
    path("liaison/visits/<int:pk>/", views.visit_edit, name="visit_edit"),
    path("liaison/visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/roster/", views.activity_roster, name="activity_roster"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("contributions/", views.contribution_list, name="contributions"),
    path("contributions/export/", views.contribution_export, name="contributions_export"),
    path("contributions/new/", views.contribution_create, name="contribution_create"),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("contributions/<int:pk>/edit/", views.contribution_edit, name="contribution_edit"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("contributions/<int:pk>/adoptions/", views.adoption_create, name="adoption_create"),
    path(
        "contributions/<int:pk>/adoptions/<int:adoption_pk>/delete/",
        views.adoption_delete,
        name="adoption_delete",
    ),
    path("points/", views.points_page, name="points"),
    path("points/export/", views.points_export, name="points_export"),
]
