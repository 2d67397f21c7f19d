"""Masks for personal data on screen and in exports (UI.md: 1101**********002X, 138****1234)."""

# The permission to see ID numbers and phones unmasked, when the user asks (each time audited).
REVEAL_PERMISSION = "people.reveal_personal_data"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
