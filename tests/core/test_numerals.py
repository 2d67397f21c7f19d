import pytest

from tongxin.core.numerals import chinese_number


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"),
        (10, "十"),
        (14, "十四"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (118, "一百一十八"),
        (141, "一百四十一"),
    ],
)
def test_numbers_are_written_as_documents_write_them(n, text):
    assert chinese_number(n) == text
