"""Date helpers shared by forms, selectors and imports."""

from datetime import date

# Age bands of STATS.md: (label, youngest, oldest); None = open.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("35岁及以下", None, 35),
    ("36至40岁", 36, 40),
    ("41至50岁", 41, 50),
    ("51至60岁", 51, 60),
    ("61岁及以上", 61, None),
)


def years_before(on: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def age_on(birth_date: date | None, on: date) -> int | None:
    """Whole years completed on ``on``."""
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def birth_date_bounds(on: date, youngest: int | None, oldest: int | None):
    """(earliest, latest) birth dates, inclusive, of people aged youngest..oldest on ``on``."""
    latest = years_before(on, youngest) if youngest is not None else None
    earliest = None
    if oldest is not None:
        # Aged at most ``oldest``: born after the day ``oldest + 1`` years before.
        limit = years_before(on, oldest + 1)
        earliest = date.fromordinal(limit.toordinal() + 1)
    return earliest, latest
