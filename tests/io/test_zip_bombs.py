"""A workbook that expands beyond bounds (a zip bomb) is refused before it is decompressed,
with a reason that says so, and writes nothing."""

import io
import struct
import zipfile
import zlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.io.helpers import member, workbook_bytes
from tongxin.core.scope import Scope
from tongxin.io import importer
from tongxin.people.models import Person
from tongxin.training.sheets import read_attendance

pytestmark = pytest.mark.django_db


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook ``data`` with ``parts`` added or replacing its own."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def roster() -> bytes:
    return workbook_bytes(members=[member("张敏", "C1-A")], org_sheet=False)


def shared_strings_of(megabytes: int) -> bytes:
    item = b"<si><t>a</t></si>"
    count = (megabytes << 20) // len(item)
    return (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        + f'count="{count}" uniqueCount="{count}">'.encode()
        + item * count
        + b"</sst>"
    )


def reasons_of(data: bytes) -> str:
    plan = importer.check(
        data=data,
        filename="名册.xlsx",
        scope=Scope(everything=True),
        effective_date=date(2025, 1, 1),
    )
    assert not Person.objects.exists()
    return " ".join(e["reason"] for e in plan.errors)


def test_a_shared_strings_part_that_expands_past_the_limit_is_refused_unread(world):
    bomb = with_parts(roster(), {"xl/sharedStrings.xml": shared_strings_of(120)})
    assert len(bomb) < 1 << 20  # under a megabyte uploaded, 120 MB expanded
    reasons = reasons_of(bomb)
    assert "xl/sharedStrings.xml" in reasons and "解压后" in reasons and "超过上限" in reasons
    assert "找不到表头" not in reasons


def test_a_workbook_whose_parts_together_expand_past_the_limit_is_refused(world, settings):
    settings.TONGXIN_XLSX_MAX_EXPANDED_MB = 2
    bomb = with_parts(roster(), {"xl/media/image1.png": b"\0" * (3 << 20)})
    assert "文件解压后达 3 MB，超过上限 2 MB" in reasons_of(bomb)


def test_a_workbook_of_too_many_parts_is_refused(world, settings):
    settings.TONGXIN_XLSX_MAX_ENTRIES = 50
    bomb = with_parts(roster(), {f"xl/media/image{i}.png": b"x" for i in range(60)})
    assert "超过上限 50 个" in reasons_of(bomb)


def lying_about_its_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the part ``name`` declared ``size`` bytes long in both of its headers."""
    data = bytearray(data)
    encoded = name.encode()
    central = 0
    while True:
        central = data.find(b"PK\x01\x02", central)
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == encoded:
            break
        central += 4
    struct.pack_into("<I", data, central + 24, size)
    local = struct.unpack_from("<I", data, central + 42)[0]
    struct.pack_into("<I", data, local + 22, size)
    return bytes(data)


def test_a_part_that_lies_about_its_size_is_refused(world):
    strings = shared_strings_of(1)
    bomb = with_parts(roster(), {"xl/sharedStrings.xml": strings})
    # Declared a tenth of its size, with the checksum of that tenth: read as declared, the
    # part looks whole, while the deflate stream runs on.
    bomb = lying_about_its_size(bomb, "xl/sharedStrings.xml", len(strings) // 10)
    crc = zlib.crc32(strings[: len(strings) // 10])
    data = bytearray(bomb)
    central = data.find(b"xl/sharedStrings.xml", data.find(b"PK\x01\x02")) - 46
    struct.pack_into("<I", data, central + 16, crc)
    local = struct.unpack_from("<I", data, central + 42)[0]
    struct.pack_into("<I", data, local + 14, crc)
    reasons = reasons_of(bytes(data))
    assert "xl/sharedStrings.xml" in reasons and "损坏" in reasons


def test_an_attendance_workbook_that_expands_past_the_limit_is_refused(world):
    bomb = with_parts(roster(), {"xl/sharedStrings.xml": shared_strings_of(120)})
    with pytest.raises(ValidationError, match="超过上限"):
        read_attendance(bomb, training_class=None, on=date(2025, 1, 1))


def test_an_ordinary_workbook_passes_the_check(world):
    assert reasons_of(roster()) == ""
