"""Fixtures of branch work: uploaded files in a temporary folder, the default reward rules."""

from datetime import date
from io import BytesIO

import pytest
from PIL import Image

from tongxin.branchwork.points import reward_rules_restore_defaults


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos go to a folder of their own for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rules(db):
    """The default reward rules (the data migration wrote them; a browser test's flush may
    have removed them since)."""
    reward_rules_restore_defaults()


def jpeg_bytes(size=(64, 48), colour=(200, 40, 40), exif=None) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png_bytes(size=(40, 40)) -> bytes:
    out = BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 128)).save(out, "PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


SPRING = date(2025, 4, 10)
