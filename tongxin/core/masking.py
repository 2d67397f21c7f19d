"""Masks for personal data on screen and in exports (UI.md: 1****************X, 138****1234).

An ID number keeps only its first and last character: its digits 7–14 are the birth date,
which pages and exports show in clear, so any more of it left standing (the 4 + 4 of old)
narrows the number to a handful of candidates.
"""

# The permission to see ID numbers, phones and e-mails unmasked, when the user asks (each
# time audited), and to look a person up by a full ID number.
REVEAL_PERMISSION = "people.reveal_personal_data"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    """``z***@example.com``: the first character of the name and the domain, as a phone keeps
    its carrier prefix and its last digits."""
    if not value:
        return ""
    name, at, domain = value.rpartition("@")
    if not at:
        return "*" * len(value)
    return (name[:1] + "***" if name else "***") + "@" + domain
