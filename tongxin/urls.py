from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, views
from .accounts.forms import LoginForm

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/", include("tongxin.orgs.urls")),
    path("orgs/", include("tongxin.terms.urls")),
    path("people/", include("tongxin.people.urls")),
    path("io/", include("tongxin.io.urls")),
    path("account/", include("tongxin.accounts.urls")),
    path("audit/", include("tongxin.audit.urls")),
    path("training/", include("tongxin.training.urls")),
    path("recruitment/", include("tongxin.recruitment.urls")),
    path("evaluation/", include("tongxin.evaluation.urls")),
    path("branchwork/", include("tongxin.branchwork.urls")),
    path("cadres/", include("tongxin.cadres.urls")),
    path("coverage/", include("tongxin.coverage.urls")),
    path("stats/", include("tongxin.stats.urls")),
    path("portal/", include("tongxin.portal.urls")),
    path("m/", include("tongxin.portal.member_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler400 = "tongxin.views.bad_request"
handler500 = "tongxin.views.server_error"
