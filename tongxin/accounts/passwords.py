"""Password rules: length and character classes (等保: complexity), read from the settings."""

import string

from django.conf import settings
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: c in string.punctuation or not (c.isalnum() or c.isspace())),
)


def classes_in(password: str) -> int:
    return sum(1 for _, test in CLASSES if any(test(c) for c in password))


class ComplexityValidator:
    """At least ``min_length`` characters of at least ``min_classes`` of the four classes
    (uppercase, lowercase, digit, symbol). Without arguments, the TONGXIN_PASSWORD_* settings."""

    def __init__(self, min_length=None, min_classes=None):
        self._min_length = min_length
        self._min_classes = min_classes

    @property
    def min_length(self) -> int:
        return self._min_length or settings.TONGXIN_PASSWORD_MIN_LENGTH

    @property
    def min_classes(self) -> int:
        return min(self._min_classes or settings.TONGXIN_PASSWORD_MIN_CLASSES, len(CLASSES))

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"密码太短：至少 {self.min_length} 个字符，现在只有 {len(password)} 个。",
                    code="password_too_short",
                )
            )
        if classes_in(password) < self.min_classes:
            errors.append(
                ValidationError(
                    f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类，"
                    f"现在只有 {classes_in(password)} 类。",
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return (
            f"至少 {self.min_length} 个字符，包含大写字母、小写字母、数字、符号中的"
            f"至少 {self.min_classes} 类。"
        )


class NoUsernameValidator:
    """A password may not contain the account's user name, in any case, nor with separators
    put between its letters (a guess that comes first to anyone who knows the name)."""

    MIN_NAME = 3  # a shorter name is in too many good passwords by chance

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        name, text = username.casefold(), password.casefold()
        bare = "".join(c for c in text if c.isalnum())
        if len(username) >= self.MIN_NAME and (name in text or name in bare):
            raise ValidationError(
                f"密码不能包含用户名“{username}”。", code="password_contains_username"
            )

    def get_help_text(self):
        return "不能包含用户名。"
