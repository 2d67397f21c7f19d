"""Refusals and missing pages answer in Chinese inside the application's frame, not with
Django's bare English pages."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_record_of_another_subtree_answers_a_chinese_404(client, world, chair_a):
    stranger = make_member(world.branch_b, name="周远")
    client.force_login(chair_a)
    response = client.get(reverse("people:detail", args=[stranger.pk]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "不在您的管理范围内" in body
    assert "周远" not in body  # nothing of the record leaks through the refusal
    assert 'aria-label="主菜单"' in body  # the menu stays, so the user can go on


def test_a_reader_asking_to_change_answers_a_chinese_403(client, world):
    client.force_login(make_user("reader", world.city, roles=(Role.READER,)))
    response = client.get(reverse("people:create"))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_an_unknown_address_answers_a_chinese_404_before_login(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_server_error_page_needs_no_request():
    assert "系统出错" in render_to_string("500.html")
