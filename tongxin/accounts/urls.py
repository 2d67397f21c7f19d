from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("login/otp/", views.otp_login, name="otp_login"),
    path("otp/", views.otp, name="otp"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/disable/", views.otp_disable, name="otp_disable"),
    path("password-resets/", views.password_resets, name="password_resets"),
    path(
        "password-resets/<int:pk>/approve/",
        views.password_reset_decide,
        {"decision": "approve"},
        name="password_reset_approve",
    ),
    path(
        "password-resets/<int:pk>/refuse/",
        views.password_reset_decide,
        {"decision": "refuse"},
        name="password_reset_refuse",
    ),
]
