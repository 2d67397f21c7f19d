"""Chinese numerals as documents write them: 第十四届, 第一名."""

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 20 -> 二十, 105 -> 一百零五, 110 -> 一百一十 (0–999)."""
    if not 0 <= n < 1000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    head = _DIGITS[hundreds] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _DIGITS[rest]
    # Inside a larger number ten is 一十 (一百一十), not 十.
    return head + (chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest))
