from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import services
from .models import User
from .roles import Cap, is_administrator_account, role_of_label

ACCOUNT_FIELDS = ("username", "password", "name", "email", "is_active", "must_change_password")
GRANT_FIELDS = ("groups", "scope_nodes", "user_permissions")
# The only permission granted one by one: seeing ID numbers and phones unmasked.
GRANTABLE_PERMISSIONS = [("people", "reveal_personal_data")]


def grants_in(cleaned_data) -> dict:
    """The grants a user form carries, as services.change_grants takes them (a field the acting
    administrator may not edit is read-only, so absent, so kept)."""
    grants = {}
    if (groups := cleaned_data.get("groups")) is not None:
        grants["roles"] = [role_of_label(g.name) for g in groups if role_of_label(g.name)]
        grants["other_groups"] = [g for g in groups if not role_of_label(g.name)]
    if (nodes := cleaned_data.get("scope_nodes")) is not None:
        grants["scope_nodes"] = list(nodes)
    if (permissions := cleaned_data.get("user_permissions")) is not None:
        grants["permissions"] = list(permissions)
    return grants


class UserChangeForm(BaseUserAdmin.form):
    actor = None  # the administrator at work: set by UserAdmin.get_form

    def clean(self):
        cleaned_data = super().clean()
        try:
            services.check_grants(self.actor, self.instance, **grants_in(cleaned_data))
        except forms.ValidationError as refusal:
            self.add_error(None, refusal)
        return cleaned_data


class ResetPasswordForm(AdminPasswordChangeForm):
    """A new password set by an administrator, through services.reset_password: a first
    password the user must change; for an administrator's account, with a reason for the
    approving administrator or the owner's current code."""

    reason = forms.CharField(
        label="重置原因",
        max_length=200,
        required=False,
        help_text="管理员账户的密码须由另一位管理员批准后才生效：请写明原因，供其核对。",
    )
    owner_code = forms.CharField(
        label="本人验证码",
        max_length=6,
        required=False,
        help_text="账户本人在场时，由本人输入其验证器应用当前显示的 6 位数字，重置立即生效。",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        # Turning password login off is not a reset: not offered here.
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True
        if not is_administrator_account(user):
            del self.fields["reason"], self.fields["owner_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """三权分立 in the back office: the system administrator edits accounts and nothing else;
    the security administrator grants roles, scope nodes and the reveal permission and edits
    nothing else; no one but a superuser deletes an account (it is deactivated instead). Who may
    grant what, and that no one changes their own grants, is services.check_grants' to say: the
    form asks it, and the grants are saved through services.change_grants."""

    form = UserChangeForm
    list_display = ["username", "name", "is_active", "role_names"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["scope_nodes"]
    filter_horizontal = ["groups", "user_permissions"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        return type(form.__name__, (form,), {"actor": request.user})

    def save_related(self, request, form, formsets, change):
        """The grants go through the service that keeps 三权分立 (it checks them again)."""
        grants = grants_in(form.cleaned_data)
        for field in GRANT_FIELDS:
            form.cleaned_data.pop(field, None)
        super().save_related(request, form, formsets, change)
        if change and grants:
            services.change_grants(actor=request.user, user=form.instance, **grants)

    def user_change_password(self, request, id, form_url=""):
        """Django's page, with the reset made by services.reset_password: refused outright
        where reset_refusal says so, waiting for a second administrator where it says so."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("没有这个用户。")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        change_url = reverse("admin:accounts_user_change", args=[user.pk])
        if refusal := services.reset_refusal(request.user, user):
            messages.error(request, refusal)
            return HttpResponseRedirect(change_url)
        form = ResetPasswordForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                waiting = services.reset_password(
                    actor=request.user,
                    user=user,
                    password=form.cleaned_data["password1"],
                    reason=form.cleaned_data.get("reason", ""),
                    owner_code=form.cleaned_data.get("owner_code", ""),
                    request=request,
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                if waiting is None:
                    messages.success(
                        request, f"{user.get_username()} 的密码已重置，本人下次登录时须修改。"
                    )
                else:
                    messages.warning(
                        request,
                        f"已提交重置 {user.get_username()} 密码的申请：另一位管理员在“密码重置审批”"
                        f"（{reverse('accounts:password_resets')}）批准后生效，"
                        f"{services.RESET_REQUEST_HOURS} 小时内有效。",
                    )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"重置密码：{user.get_username()}",
            "form": form,
            "opts": self.opts,
            "original": user,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/accounts/user/reset_password.html", context)

    @admin.display(description="角色")
    def role_names(self, user):
        return "、".join(user.groups.values_list("name", flat=True))

    def _caps(self, request):
        return request.user.capabilities()

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(
            self._caps(request) & {Cap.MANAGE_USERS, Cap.MANAGE_GRANTS}
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser or Cap.MANAGE_USERS in self._caps(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            (None, {"fields": ("username", "password")}),
            ("个人信息", {"fields": ("name", "email", "is_active")}),
            ("登录安全", {"fields": ("must_change_password", "password_changed_at")}),
            ("角色与管理范围", {"fields": GRANT_FIELDS}),
            ("重要日期", {"fields": ("last_login", "date_joined")}),
        ]
        if request.user.is_superuser:
            fieldsets.insert(3, ("超级用户", {"fields": ("is_staff", "is_superuser")}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return ("last_login", "date_joined", "password_changed_at")
        caps = self._caps(request)
        readonly = {"last_login", "date_joined", "password_changed_at"}
        if Cap.MANAGE_USERS not in caps:
            readonly |= set(ACCOUNT_FIELDS)
        if Cap.MANAGE_GRANTS not in caps:
            # The system administrator grants the audit role (roles.may_grant_role), so keeps
            # the roles editable; services.check_grants refuses any other role.
            readonly |= {"scope_nodes", "user_permissions"}
        return tuple(sorted(readonly))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "user_permissions":
            q = Permission.objects.none()
            for app_label, codename in GRANTABLE_PERMISSIONS:
                q |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            kwargs["queryset"] = q
        return super().formfield_for_manytomany(db_field, request, **kwargs)
