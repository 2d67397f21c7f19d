"""Activity photos: checked by their content, limited in size, stored under MEDIA_ROOT without
their EXIF block, and served only to users whose scope holds the activity."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.branchwork.conftest import gif_bytes, jpeg_bytes, png_bytes
from tests.factories import make_member, make_user
from tongxin.accounts.roles import Role
from tongxin.branchwork import services
from tongxin.branchwork.models import Activity, ActivityKind, ActivityPhoto
from tongxin.core.scope import Scope

pytestmark = pytest.mark.django_db


def _activity(org):
    member = make_member(org, name="张敏")
    return services.activity_save(
        activity=Activity(org=org, date=date(2025, 4, 10), kind=ActivityKind.STUDY, title="学习会"),
        expected=[member.pk],
        present=[member.pk],
        scope=Scope(everything=True),
    )


def _upload(client, activity, *files):
    return client.post(
        reverse("branchwork:photo_upload", args=[activity.pk]),
        {"photos": list(files), "caption": "现场"},
        follow=True,
    )


def _file(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_chair_uploads_photos_that_are_stored_under_the_media_root(
    client, world, chair_a, media_root
):
    activity = _activity(world.branch_a)
    client.force_login(chair_a)
    response = _upload(
        client, activity, _file("现场.jpg", jpeg_bytes()), _file("合影.png", png_bytes())
    )
    assert "已上传 2 张照片" in response.content.decode()
    photos = list(ActivityPhoto.objects.order_by("pk"))
    assert [(p.original_name, p.content_type) for p in photos] == [
        ("现场.jpg", "image/jpeg"),
        ("合影.png", "image/png"),
    ]
    for photo in photos:
        assert (media_root / photo.file).is_file()
        assert (media_root / photo.thumbnail).is_file()
        assert photo.file.startswith("branchwork/photos/")


def test_a_photo_is_served_only_within_the_scope(client, world, chair_a, city_staff):
    activity = _activity(world.branch_b)
    services.photos_add(activity=activity, uploads=[_file("b.jpg", jpeg_bytes())])
    photo = ActivityPhoto.objects.get()
    client.force_login(city_staff)
    response = client.get(reverse("branchwork:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert Image.open(BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    client.force_login(chair_a)
    for name in ("photo", "photo_thumbnail"):
        assert client.get(reverse(f"branchwork:{name}", args=[photo.pk])).status_code == 404
    assert client.post(reverse("branchwork:photo_delete", args=[photo.pk])).status_code == 404
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()


def test_there_is_no_public_address_for_the_photos(client, world, media_root):
    activity = _activity(world.branch_a)
    services.photos_add(activity=activity, uploads=[_file("a.jpg", jpeg_bytes())])
    photo = ActivityPhoto.objects.get()
    client.logout()
    assert client.get(reverse("branchwork:photo", args=[photo.pk])).status_code == 302  # login
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + photo.file).status_code == 404


def test_a_gif_is_refused_by_its_content(client, world, chair_a):
    activity = _activity(world.branch_a)
    client.force_login(chair_a)
    response = _upload(client, activity, _file("动图.jpg", gif_bytes()))
    assert "「动图.jpg」是 GIF 图片：只接受 JPG、PNG 或 WebP 图片" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_a_file_that_only_has_a_photo_name_is_refused(client, world, chair_a, media_root):
    activity = _activity(world.branch_a)
    client.force_login(chair_a)
    script = _file("照片.jpg", b"<script>alert(1)</script>" * 10)
    response = _upload(client, activity, _file("好的.jpg", jpeg_bytes()), script)
    body = response.content.decode()
    assert "「照片.jpg」的内容不是 JPG、PNG 或 WebP 图片" in body
    # One bad file stores none.
    assert not ActivityPhoto.objects.exists()
    assert not list(media_root.rglob("*.jpg"))


def test_a_photo_with_the_wrong_extension_is_refused(client, world, chair_a):
    activity = _activity(world.branch_a)
    client.force_login(chair_a)
    response = _upload(client, activity, _file("活动.exe", jpeg_bytes()))
    assert "「活动.exe」的类型不能作为照片上传：只接受 JPG、PNG 或 WebP 文件" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(client, world, chair_a, settings):
    settings.TONGXIN_PHOTO_MAX_MB = 1
    activity = _activity(world.branch_a)
    client.force_login(chair_a)
    big = jpeg_bytes() + b"\0" * (1024 * 1024)
    response = _upload(client, activity, _file("大图.jpg", big))
    assert "「大图.jpg」有 1.0 MB，超过每张照片 1 MB 的上限" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_the_stored_photo_has_no_exif_and_is_scaled_down(world, media_root, settings):
    settings.TONGXIN_PHOTO_MAX_SIDE = 100
    exif = Image.Exif()
    exif[0x010F] = "手机厂商"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0)}  # GPS
    activity = _activity(world.branch_a)
    (photo,) = services.photos_add(
        activity=activity, uploads=[_file("gps.jpg", jpeg_bytes(size=(400, 300), exif=exif))]
    )
    stored = Image.open(media_root / photo.file)
    assert not stored.getexif()
    assert stored.size == (100, 75) == (photo.width, photo.height)


def test_a_reader_cannot_upload(client, world):
    activity = _activity(world.branch_a)
    reader = make_user("reader_a", world.branch_a, roles=(Role.READER,))
    client.force_login(reader)
    response = client.post(
        reverse("branchwork:photo_upload", args=[activity.pk]),
        {"photos": [_file("a.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 403
    assert not ActivityPhoto.objects.exists()


def test_deleting_a_photo_removes_its_files(
    client, world, chair_a, media_root, django_capture_on_commit_callbacks
):
    activity = _activity(world.branch_a)
    (photo,) = services.photos_add(activity=activity, uploads=[_file("a.jpg", jpeg_bytes())])
    client.force_login(chair_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("branchwork:photo_delete", args=[photo.pk]), follow=True)
    assert "已删除照片「a.jpg」" in response.content.decode()
    assert not (media_root / photo.file).exists()
    assert not (media_root / photo.thumbnail).exists()


def test_a_truncated_photo_is_refused_in_chinese(client, world, chair_a):
    activity = _activity(world.branch_a)
    client.force_login(chair_a)
    whole = jpeg_bytes(size=(400, 300))
    response = _upload(client, activity, _file("半张.jpg", whole[: len(whole) // 2]))
    page = response.content.decode()
    assert "「半张.jpg」不完整（文件被截断" in page
    assert "Truncated" not in page and "truncated" not in page
    assert not ActivityPhoto.objects.exists()
