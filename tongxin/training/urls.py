from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("participants/", views.participants, name="participants"),
    path("hours/", views.hours, name="hours"),
    path("rules/", views.rules, name="rules"),
    path("new/", views.class_edit, name="class_create"),
    path("<int:pk>/", views.class_detail, name="class_detail"),
    path("<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("<int:pk>/delete/", views.class_delete, name="class_delete"),
    path("<int:pk>/sessions/new/", views.session_edit, name="session_create"),
    path("<int:pk>/sessions/<int:session_pk>/", views.session_edit, name="session_edit"),
    path(
        "<int:pk>/sessions/<int:session_pk>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("<int:pk>/attendance.xlsx", views.attendance_workbook, name="attendance_workbook"),
    path("<int:pk>/attendance/upload/", views.attendance_upload, name="attendance_upload"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path(
        "<int:pk>/enrollments/<int:enrollment_pk>/remove/",
        views.enrollment_remove,
        name="enrollment_remove",
    ),
    path("<int:pk>/completion/", views.completion, name="completion"),
    path("people/<int:person_pk>/external/new/", views.external_edit, name="external_create"),
    path(
        "people/<int:person_pk>/external/<int:record_pk>/",
        views.external_edit,
        name="external_edit",
    ),
    path(
        "people/<int:person_pk>/external/<int:record_pk>/delete/",
        views.external_delete,
        name="external_delete",
    ),
]
