from django.core.validators import RegexValidator

validate_mobile = RegexValidator(
    r"^1[3-9]\d{9}$", message="手机号码应为以1开头的11位数字", code="mobile"
)
