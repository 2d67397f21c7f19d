"""Notices and study materials: published to a subtree's members, files checked by content,
read receipts for the publisher only."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongxin.portal.models import Notice, NoticeRead

pytestmark = pytest.mark.django_db


def docx_bytes(text="学习要点") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _publish(client, user, org, **fields):
    client.force_login(user)
    data = {"org": org.pk, "kind": "notice", "title": "通知", "body": "正文", **fields}
    response = client.post(reverse("portal:notice_new"), data)
    client.logout()
    return response


def test_a_notice_of_the_city_reaches_members_of_its_branches_only(
    client, world, city_staff, member_a, member_b
):
    _publish(client, city_staff, world.branch_a, title="甲支部学习安排")
    notice = Notice.objects.get()
    client.force_login(member_a.user)
    assert "甲支部学习安排" in client.get(reverse("member:notices")).content.decode()
    assert client.get(reverse("member:notice", args=[notice.pk])).status_code == 200
    client.force_login(member_b.user)
    assert "甲支部学习安排" not in client.get(reverse("member:notices")).content.decode()
    assert client.get(reverse("member:notice", args=[notice.pk])).status_code == 404
    assert client.get(reverse("member:notice_file", args=[notice.pk])).status_code == 404


def test_a_material_is_checked_by_its_content(client, world, city_staff, member_a):
    fake = SimpleUploadedFile("学习资料.pdf", b"this is no pdf at all")
    response = _publish(client, city_staff, world.city, kind="material", title="资料", upload=fake)
    assert "的内容不是 PDF 文件" in response.content.decode()
    renamed = SimpleUploadedFile("讲话.docx", b"PK\x03\x04 not really a zip")
    response = _publish(
        client, city_staff, world.city, kind="material", title="资料", upload=renamed
    )
    assert "的内容不是 Word 文档" in response.content.decode()
    exe = SimpleUploadedFile("工具.exe", b"MZ")
    response = _publish(client, city_staff, world.city, kind="material", title="资料", upload=exe)
    assert "不能作为学习资料" in response.content.decode()
    assert not Notice.objects.exists()

    good = SimpleUploadedFile("讲话精神.docx", docx_bytes("讲话精神学习要点"))
    response = _publish(client, city_staff, world.city, kind="material", title="资料", upload=good)
    assert response.status_code == 302
    notice = Notice.objects.get()
    client.force_login(member_a.user)
    response = client.get(reverse("member:notice_file", args=[notice.pk]))
    body = b"".join(response.streaming_content)
    assert docx.Document(io.BytesIO(body)).paragraphs[0].text == "讲话精神学习要点"


def test_a_material_needs_its_file(client, world, city_staff):
    response = _publish(client, city_staff, world.city, kind="material", title="资料")
    assert "学习资料须上传文件" in response.content.decode()


def test_a_chair_publishes_only_inside_the_branch(client, world, chair_a):
    response = _publish(client, chair_a, world.branch_b, title="越权")
    assert response.status_code == 200
    assert not Notice.objects.exists()


def test_read_receipts_are_shown_to_the_publisher_only(client, world, city_staff, member_a):
    from tests.factories import make_member, make_user

    make_member(world.branch_a, name="未读者")
    _publish(client, city_staff, world.city, title="全市通知")
    notice = Notice.objects.get()
    client.force_login(member_a.user)
    client.get(reverse("member:notice", args=[notice.pk]))
    client.get(reverse("member:notice", args=[notice.pk]))
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    client.force_login(city_staff)
    page = client.get(reverse("portal:notice", args=[notice.pk])).content.decode()
    assert "已读 1 人：林小满" in page and "未读者" in page
    other = make_user("other_staff", world.city)
    client.force_login(other)
    page = client.get(reverse("portal:notice", args=[notice.pk])).content.decode()
    assert "阅读回执" not in page and "未读者" not in page


def test_staff_of_another_city_get_404_for_the_notice(client, world, city_staff):
    from tests.factories import make_user

    _publish(client, city_staff, world.city, title="全市通知")
    notice = Notice.objects.get()
    far = make_user("far_staff", world.other_city)
    client.force_login(far)
    assert client.get(reverse("portal:notice", args=[notice.pk])).status_code == 404
    assert client.get(reverse("portal:notice_file", args=[notice.pk])).status_code == 404


def test_an_image_material_is_held_to_the_materials_limit_not_the_photos(
    client, world, city_staff, settings, tmp_path
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    settings.TONGXIN_PHOTO_MAX_MB = 0
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(out, "WEBP")
    picture = SimpleUploadedFile("学习海报.webp", out.getvalue())
    response = _publish(
        client, city_staff, world.city, kind="material", title="海报", upload=picture
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.file_name, notice.content_type) == ("学习海报.webp", "image/jpeg")
    settings.TONGXIN_MATERIAL_MAX_MB = 0
    picture = SimpleUploadedFile("学习海报.webp", out.getvalue())
    response = _publish(
        client, city_staff, world.city, kind="material", title="海报二", upload=picture
    )
    assert "「学习海报.webp」有 0.0 MB，超过每份学习资料 0 MB 的上限" in response.content.decode()
    assert Notice.objects.count() == 1
