from django.contrib.auth.models import AbstractUser
from django.db import models

from . import roles


class User(AbstractUser):
    """A Tongxin user. Chinese names are not first + last: one ``name`` field."""

    name = models.CharField("姓名", max_length=50, blank=True)
    first_name = None
    last_name = None
    scope_nodes = models.ManyToManyField(
        "orgs.Organization",
        verbose_name="管理范围",
        blank=True,
        related_name="+",
        help_text="用户可以查看和管理这些组织及其全部下级",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username

    def scope_paths(self) -> list[str]:
        return list(self.scope_nodes.values_list("path", flat=True))

    def capabilities(self) -> frozenset[str]:
        return roles.capabilities_of(self)

    def works_on_records(self) -> bool:
        return roles.works_on_records(self)
