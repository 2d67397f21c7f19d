from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.report, name="report"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.json", views.export_json, name="export_json"),
    path("work-report/", views.work_report, name="work_report"),
    path("work-report.docx", views.work_report_docx, name="work_report_docx"),
    path("work-report.xlsx", views.work_report_xlsx, name="work_report_xlsx"),
]
