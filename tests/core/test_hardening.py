"""Hardening (等保): deploy checks, CSRF, the content security policy, HTTPS headers, uploads."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.deployment import production_environment
from tongxin.io.models import ImportBatch
from tongxin.people.models import Person

ROOT = Path(__file__).resolve().parents[2]


def test_the_deploy_check_is_clean_with_the_sample_production_environment(tmp_path):
    env = production_environment(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_the_deploy_check_warns_without_https(tmp_path):
    env = {
        **os.environ,
        "TONGXIN_DEBUG": "0",
        "TONGXIN_HTTPS": "0",
        "TONGXIN_SECRET_KEY": secrets.token_urlsafe(50),
        "TONGXIN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_a_post_without_the_csrf_token_is_refused(world, city_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_staff)
    response = client.post(
        reverse("people:create"), {"name": "张敏", "org": world.branch_a.pk, "start": "2020-01-01"}
    )
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_pages_carry_a_strict_content_security_policy(client, world, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("people:roster"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_over_https_cookies_are_secure_and_hsts_is_sent(client, world, city_staff, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    client.force_login(city_staff)
    response = client.get(reverse("people:roster"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.cookies[settings.SESSION_COOKIE_NAME]["secure"]


def test_an_oversized_upload_is_refused_before_it_is_read(client, world, city_staff, settings):
    settings.TONGXIN_MAX_UPLOAD_MB = 1
    client.force_login(city_staff)
    response = client.post(
        reverse("io:upload"),
        {
            "file": SimpleUploadedFile("名册.xlsx", b"PK" + b"0" * (3 * 1024 * 1024)),
            "effective_date": "2025-03-01",
        },
    )
    assert response.status_code == 413
    assert "超过 1 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_upload_of_another_type_is_refused(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("io:upload"),
        {"file": SimpleUploadedFile("名册.exe", b"MZ\x90\x00"), "effective_date": "2025-03-01"},
    )
    assert "「名册.exe」的类型不能作为名册文件上传" in response.content.decode()
    assert not ImportBatch.objects.exists()


def gunicorn_setting(tmp_path, name: str, **environment: str) -> str:
    env = {**production_environment(tmp_path), **environment}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith(name + " "))
    return line.split("=", 1)[1].strip()


def test_gunicorn_believes_forwarded_headers_only_from_the_configured_proxies(tmp_path):
    # gunicorn's own default would come from FORWARDED_ALLOW_IPS, which "*" opens to anyone.
    behind = gunicorn_setting(
        tmp_path,
        "forwarded_allow_ips",
        TONGXIN_BEHIND_PROXY="1",
        TONGXIN_TRUSTED_PROXIES="10.1.2.0/24",
        FORWARDED_ALLOW_IPS="*",
    )
    assert behind == "['10.1.2.0/24']"
    direct = gunicorn_setting(
        tmp_path, "forwarded_allow_ips", TONGXIN_BEHIND_PROXY="0", FORWARDED_ALLOW_IPS="*"
    )
    assert direct == "[]"
