import pytest

from tongxin.core.xlsx import scan


@pytest.fixture(params=["whole", "in halves"])
def sheet_reading(request, monkeypatch):
    """A large sheet is read by calamine in two halves on two threads (scan.SPLIT_XML):
    the tests that use this run once with no sheet read that way and once with every sheet
    of more than one row split, and must see the same either way."""
    monkeypatch.setattr(scan, "SPLIT_XML", 0 if request.param == "in halves" else 1 << 62)
    return request.param
