from django.urls import path

from .views import staff as views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/issue/", views.account_issue, name="account_issue"),
    path("accounts/<int:pk>/reset/", views.account_reset, name="account_reset"),
    path("notices/", views.notices, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/file/", views.notice_file, name="notice_file"),
    path("notices/<int:pk>/record/", views.notice_record, name="notice_record"),
    path("corrections/", views.corrections, name="corrections"),
    path(
        "corrections/<int:pk>/chair/",
        views.correction_decide,
        {"step": "chair"},
        name="correction_chair",
    ),
    path(
        "corrections/<int:pk>/staff/",
        views.correction_decide,
        {"step": "staff"},
        name="correction_staff",
    ),
    path("people/<int:pk>/identity/", views.identity, name="identity"),
    path("drafts/", views.drafts, name="drafts"),
    path("drafts/<int:pk>/take/", views.draft_decide, {"step": "take"}, name="draft_take"),
    path("drafts/<int:pk>/return/", views.draft_decide, {"step": "return"}, name="draft_return"),
]
