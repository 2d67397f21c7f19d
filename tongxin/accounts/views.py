"""Login security pages: password change, the second factor (TOTP), the lockout page."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongxin.audit.services import Kind, record_event

from . import services
from .forms import OTPCodeForm, OTPLoginForm, PasswordChangeForm, login_refusal
from .models import PasswordReset, User
from .roles import is_administrator


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _otp_required(user) -> bool:
    return settings.TONGXIN_ADMIN_OTP_REQUIRED and is_administrator(user)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login of a locked name or address (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "minutes": settings.TONGXIN_LOCKOUT_MINUTES,
            "limit": settings.TONGXIN_LOGIN_FAILURE_LIMIT,
            "address_limit": settings.TONGXIN_ADDRESS_FAILURE_LIMIT,
        },
        status=429,
    )


OTP_LOGIN_FAILED = "用户名、密码或验证码不正确（须已开启双重验证）。"


def _otp_login_user(username, password, code):
    """The user these credentials and the current code of their device prove, else None. The
    password is checked first, so that someone without it cannot wear the device's throttle
    down; every failure looks the same."""
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        User().set_password(password)  # the time a known name would take (as ModelBackend)
        return None
    if not (user.is_active and user.check_password(password)):
        return None
    device = _confirmed_device(user)
    if device is None or not device.verify_is_allowed()[0] or not device.verify_token(code.strip()):
        return None
    return user, device


def otp_login(request):
    """用验证码登录: password and code together, past a lockout of the name or the address
    (tongxin.accounts.lockout). Without a device it lets no one in."""
    form = OTPLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proved = _otp_login_user(data["username"], data["password"], data["code"])
        refusal = login_refusal(proved[0]) if proved is not None else ""
        if refusal:
            form.add_error(None, refusal)
        elif proved is not None:
            user, device = proved
            # Logged in as by the password backend; axes clears this name's failures from this
            # address on the login signal, not the address's own count.
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login_device(request, device)
            return redirect(_next_url(request))
        else:
            record_event(
                Kind.LOGIN_FAILED,
                request=request,
                username=data["username"][:150],
                summary=f"以用户名“{data['username'][:150]}”凭验证码登录失败",
                detail={"username": data["username"][:150], "with_code": True},
            )
            form.add_error(None, OTP_LOGIN_FAILED)
    return render(
        request, "registration/otp_login.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def password_change(request):
    user = request.user
    if user.must_change_password:
        reason = "首次登录，请先修改初始密码。"
    elif days := user.password_expired_days():
        max_age = settings.TONGXIN_PASSWORD_MAX_AGE_DAYS
        reason = f"密码已过期 {days} 天（密码每 {max_age} 天须修改一次），请修改密码后继续。"
    else:
        reason = ""
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user.must_change_password = False
        form.save()  # set_password records the time of the change
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。")
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "reason": reason, "next": _next_url(request)},
    )


def _confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@login_required
def otp_verify(request):
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = OTPCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login_device(request, device)
        return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request):
    """Turn the second factor on: show a new key (text and QR code), confirm it with a code."""
    if _confirmed_device(request.user):
        return redirect("accounts:otp")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="验证器应用", confirmed=False)
    form = OTPCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save()
        otp_login_device(request, device)
        messages.success(request, "双重验证已开启：以后每次登录都要输入验证码。")
        return redirect(_next_url(request))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
            "required": _otp_required(request.user),
            "next": _next_url(request),
        },
    )


@login_required
def otp(request):
    """双重验证: whether it is on, and the way to turn it on or off."""
    device = _confirmed_device(request.user)
    return render(
        request,
        "accounts/otp.html",
        {
            "device": device,
            "required": _otp_required(request.user),
            "form": OTPCodeForm(device=device),
        },
    )


@require_POST
@login_required
def otp_disable(request):
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("accounts:otp")
    if _otp_required(request.user):
        messages.error(request, "管理员必须使用双重验证，不能关闭。")
        return redirect("accounts:otp")
    form = OTPCodeForm(request.POST, device=device)
    if not form.is_valid():
        return render(
            request,
            "accounts/otp.html",
            {"device": device, "required": False, "form": form},
            status=400,
        )
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, "双重验证已关闭。")
    return redirect("accounts:otp")


@login_required
def password_resets(request):
    """密码重置审批: the waiting resets of administrators' passwords, for a second administrator."""
    if not is_administrator(request.user):
        raise PermissionDenied
    waiting = PasswordReset.objects.filter(state=PasswordReset.State.PENDING).select_related(
        "user", "requested_by"
    )
    rows = [(reset, services.decision_refusal(request.user, reset)) for reset in waiting]
    return render(request, "accounts/password_resets.html", {"rows": rows})


@require_POST
@login_required
def password_reset_decide(request, pk, decision):
    if not is_administrator(request.user):
        raise PermissionDenied
    reset = get_object_or_404(PasswordReset, pk=pk)
    decide = {
        "approve": services.approve_password_reset,
        "refuse": services.refuse_password_reset,
    }[decision]
    try:
        decide(actor=request.user, reset=reset, request=request)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        account = reset.user.get_username()
        if decision == "approve":
            messages.success(request, f"已批准：{account} 的密码已重置，本人下次登录时须修改。")
        else:
            messages.success(request, f"已拒绝重置 {account} 密码的申请，密码未改变。")
    return redirect("accounts:password_resets")
