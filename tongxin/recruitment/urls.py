from django.urls import path

from . import plan_views, views

app_name = "recruitment"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<int:step_pk>/", views.step, name="step"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/records/<int:record_pk>/attachments/", views.attachment_add, name="attach"),
    path("<int:pk>/form.docx", views.form_docx, name="form_docx"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("approval.docx", views.approval_docx, name="approval_docx"),
    path("publicity.docx", views.publicity_docx, name="publicity_docx"),
    path("admissions/", views.admissions, name="admissions"),
    path("procedure/", views.procedure, name="procedure"),
    path("plans/", plan_views.plans, name="plans"),
    path("plans/new/", plan_views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
]
