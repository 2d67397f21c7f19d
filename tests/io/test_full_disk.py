"""A disk that fills during an upload: staff are told so in Chinese, and nothing is kept,
neither a batch nor a piece of the file."""

import errno
import os

import pytest
from django.test import override_settings

from tests.io.helpers import member, workbook_bytes
from tests.io.test_import_pages import upload
from tongxin.core import uploads
from tongxin.io.models import ImportBatch

pytestmark = pytest.mark.django_db


class FillingDisk:
    """The upload's temporary file on a disk with ``room`` bytes left: what fits is written,
    then the write fails as the operating system fails it."""

    room = 1000
    error = errno.ENOSPC

    def __init__(self, file):
        self.file = file

    def write(self, data):
        fits = data[: self.room]
        self.file.write(fits)
        self.file.flush()
        FillingDisk.written = FillingDisk.written + len(fits)
        type(self).room -= len(fits)
        if len(fits) < len(data):
            raise OSError(self.error, os.strerror(self.error))
        return len(data)

    def __getattr__(self, name):
        return getattr(self.file, name)


class SmallDiskUploadHandler(uploads.TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file.file = FillingDisk(self.file.file)


@pytest.fixture
def small_disk(tmp_path):
    temp = tmp_path / "uploads"
    temp.mkdir()
    FillingDisk.room, FillingDisk.written, FillingDisk.error = 1000, 0, errno.ENOSPC
    with override_settings(
        FILE_UPLOAD_TEMP_DIR=str(temp),
        FILE_UPLOAD_MAX_MEMORY_SIZE=0,  # every upload through a temporary file
        FILE_UPLOAD_HANDLERS=[f"{__name__}.SmallDiskUploadHandler"],
    ):
        yield temp


def a_roster() -> bytes:
    return workbook_bytes(members=[member(f"成员{n}", "C1-A") for n in range(50)])


def test_a_disk_full_during_an_upload_says_so_and_keeps_nothing(
    client, world, city_staff, small_disk
):
    client.force_login(city_staff)
    response = upload(client, a_roster())
    assert response.status_code == 507
    assert uploads.DISK_FULL in response.content.decode()
    assert FillingDisk.written == 1000  # the disk did fill
    assert not ImportBatch.objects.exists()
    assert list(small_disk.iterdir()) == []


def test_another_write_error_during_an_upload_says_the_file_was_not_saved(
    client, world, city_staff, small_disk
):
    FillingDisk.error = errno.EIO
    client.force_login(city_staff)
    response = upload(client, a_roster())
    assert uploads.WRITE_FAILED in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert list(small_disk.iterdir()) == []


def test_an_upload_the_disk_can_take_is_saved(client, world, city_staff, small_disk):
    FillingDisk.room = 10 << 20
    client.force_login(city_staff)
    response = upload(client, a_roster())
    assert response.status_code == 302
    assert ImportBatch.objects.get().total_rows == 0  # queued for its check
