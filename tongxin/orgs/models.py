from django.core.exceptions import ValidationError
from django.db import models
from treebeard.mp_tree import MP_Node

from tongxin.core.codes import PoliticalStatus


class OrganizationCategory(models.Model):
    """A free label for statistics (县区支部, 高校支部, 直属支部 …)."""

    name = models.CharField("类别名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "组织类别"
        verbose_name_plural = "组织类别"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationKind(models.Model):
    """A kind of node (委员会, 支部, 街道党工委 …); see ``tongxin.orgs.kinds``."""

    code = models.SlugField(
        "代码",
        max_length=30,
        unique=True,
        help_text="英文字母、数字、下划线或连字符，保存后不能修改",
    )
    name = models.CharField(
        "名称", max_length=50, unique=True, help_text="统计、筛选和导入使用的名称，保存后不能修改"
    )
    order = models.PositiveSmallIntegerField(
        "排序", default=100, help_text="列表中的先后，小的在前"
    )

    class Meta:
        verbose_name = "组织类型"
        verbose_name_plural = "组织类型"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Organization(MP_Node):
    """A node of the one organization tree.

    Dissolved nodes stay in the tree with their history; current lists hide them.
    """

    code = models.CharField("组织编码", max_length=50, unique=True)
    name = models.CharField("组织名称", max_length=200)
    short_name = models.CharField("简称", max_length=100, blank=True)
    # The code of an OrganizationKind; the five party kinds' codes are codes.OrgKind.
    kind = models.CharField("组织类型", max_length=30)
    categories = models.ManyToManyField(
        OrganizationCategory, verbose_name="组织类别", blank=True, related_name="organizations"
    )
    party = models.CharField(
        "所属党派",
        max_length=2,
        choices=PoliticalStatus.choices,
        blank=True,
        help_text="GB/T 4762 代码；为空时沿用上级组织的党派",
    )
    established = models.DateField("成立日期", null=True, blank=True)
    dissolved = models.DateField("撤销日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    node_order_by = None

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织机构"
        # Roots and children are "depth = d AND path in range": without this index both read
        # the whole table.
        indexes = [models.Index(fields=["depth", "path"], name="org_depth_path")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved__isnull=True)
                | models.Q(established__isnull=True)
                | models.Q(dissolved__gte=models.F("established")),
                name="org_dissolved_after_established",
                violation_error_message="撤销日期不能早于成立日期",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_current(self, on=None) -> bool:
        from django.utils import timezone

        on = on or timezone.localdate()
        if self.established and self.established > on:
            return False
        return self.dissolved is None or self.dissolved > on

    def effective_party(self) -> str:
        """The party code set here or on the nearest ancestor."""
        if self.party:
            return self.party
        ancestor = (
            Organization.objects.get_ancestors(self).exclude(party="").order_by("-depth").first()
        )
        return ancestor.party if ancestor else ""

    def clean(self):
        super().clean()
        if self.dissolved and self.established and self.dissolved < self.established:
            raise ValidationError({"dissolved": "撤销日期不能早于成立日期"})
        if self.kind and not OrganizationKind.objects.filter(code=self.kind).exists():
            from .kinds import kind_names

            raise ValidationError(
                {"kind": f"“{self.kind}”不是可选的组织类型，应为：{'、'.join(kind_names())}"}
            )

    def get_kind_display(self) -> str:
        from .kinds import kind_name

        return kind_name(self.kind)
