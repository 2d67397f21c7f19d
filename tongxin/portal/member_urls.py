from django.urls import path

from .views import member as views

app_name = "member"
urlpatterns = [
    path("", views.home, name="home"),
    path("activate/", views.activate, name="activate"),
    path("reset/", views.reset, name="reset"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/file/", views.notice_file, name="notice_file"),
    path("notices/<int:pk>/signup/", views.notice_signup, name="notice_signup"),
    path("classes/", views.classes, name="classes"),
    path("classes/<int:pk>/signup/", views.class_signup, name="class_signup"),
    path("signups/", views.signups, name="signups"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("record/", views.my_record, name="record"),
    path("record.docx", views.my_record_docx, name="record_docx"),
    path("corrections/", views.corrections, name="corrections"),
    path("drafts/", views.drafts, name="drafts"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("account/", views.account, name="account"),
]
