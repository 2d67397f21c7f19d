from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tongxin.core.codes import (
    AdminRank,
    AffiliationKind,
    Degree,
    Education,
    Ethnicity,
    Gender,
    PoliticalBody,
    PoliticalLevel,
    PoliticalStatus,
    PostKind,
    Sector,
    SpellReason,
    TitleLevel,
    UnitNature,
)
from tongxin.core.dated import DatedQuerySet
from tongxin.core.fieldcrypt import EncryptedCharField, EncryptedEmailField, id_number_hashes
from tongxin.core.idnumber import validate_id_number
from tongxin.core.lookups import AnyOf
from tongxin.core.scope import subtree_q
from tongxin.core.validators import validate_mobile

# The fields a person's form and a roster row set (the rest of a roster row is membership and
# posts), in the order of ROSTER_TEMPLATE.md.
PERSON_FIELDS = (
    "name", "id_number", "gender", "birth_date", "ethnicity", "native_place", "education",
    "degree", "school_major", "title", "title_level", "work_unit", "unit_nature", "job_post",
    "sector", "is_retired", "is_cross_member", "upper_middle", "admitted_on", "phone", "email",
    "note",
)  # fmt: skip


# The condition of the partial unique index on the ID numbers' lookup hashes (blank numbers
# repeat). A query by ID number adds it, so that the database can answer from that index.
HAS_ID_NUMBER = ~Q(id_number_hash="")


def id_number_q(numbers) -> Q:
    """People with one of ``numbers``, by their lookup hash: the column itself holds only
    ciphertext. Blank numbers match nobody."""
    return id_number_hash_q(id_number_hashes(numbers))


def id_number_hash_q(hashes: list[str]) -> Q:
    """People with one of the lookup ``hashes`` (from ``fieldcrypt.id_number_hashes``), the
    list sent as one parameter: an import looks up 100,000 of them. (A frozenset, because
    Django walks a list or tuple value item by item before any lookup sees it.)"""
    return HAS_ID_NUMBER & Q(id_number_hash__any_of=frozenset(hashes))


class PersonQuerySet(models.QuerySet):
    def with_id_number(self, number: str) -> PersonQuerySet:
        return self.filter(id_number_q([number]))


class Person(models.Model):
    """One human being, with the roster fields of ROSTER_TEMPLATE.md.

    Where a person belongs, and since when, is never stored here: it is read from the
    membership spells.
    """

    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名全拼", max_length=200, blank=True, editable=False)
    name_initials = models.CharField("姓名简拼", max_length=50, blank=True, editable=False)
    # Declared before the number: a model instance sets its fields in this order, and setting
    # the number sets its hash (see EncryptedCharField).
    id_number_hash = models.CharField(
        "身份证号查找哈希", max_length=64, blank=True, default="", editable=False
    )
    id_number = EncryptedCharField(
        "身份证号",
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        hash_field="id_number_hash",
    )
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=2, choices=Ethnicity.choices, blank=True)
    native_place = models.CharField("籍贯", max_length=100, blank=True)
    education = models.CharField("学历", max_length=2, choices=Education.choices, blank=True)
    degree = models.CharField("学位", max_length=1, choices=Degree.choices, blank=True)
    school_major = models.CharField("毕业院校及专业", max_length=200, blank=True)
    title = models.CharField("专业技术职务", max_length=50, blank=True)
    title_level = models.CharField("职称级别", max_length=1, choices=TitleLevel.choices, blank=True)
    work_unit = models.CharField("工作单位", max_length=200, blank=True)
    unit_nature = models.CharField("单位性质", max_length=2, choices=UnitNature.choices, blank=True)
    job_post = models.CharField("职务", max_length=100, blank=True)
    sector = models.CharField("界别", max_length=20, choices=Sector.choices, blank=True)
    is_retired = models.BooleanField("离退休", default=False)
    is_cross_member = models.BooleanField("中共党员（交叉党员）", default=False)
    upper_middle = models.BooleanField(
        "中上层人士", null=True, blank=True, help_text="为空时按部署规则推定"
    )
    admitted_on = models.DateField("入会日期", null=True, blank=True)
    # GB/T 4762. A member's follows from the membership (set at admission and at an exit);
    # an applicant's is what they held before.
    political_status = models.CharField(
        "政治面貌", max_length=2, choices=PoliticalStatus.choices, blank=True
    )
    membership_no = models.CharField("成员编号", max_length=30, blank=True, db_index=True)
    # Encrypted like the ID number; never searched, so they carry no lookup hash.
    phone = EncryptedCharField("手机", max_length=11, blank=True, validators=[validate_mobile])
    email = EncryptedEmailField("电子邮箱", blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name_pinyin", "pk"]
        permissions = [("reveal_personal_data", "查看完整的身份证号、手机号和电子邮箱")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=HAS_ID_NUMBER,
                name="person_unique_id_number_hash",
                violation_error_message="该身份证号已登记",
            ),
            # Numbers are allocated install-wide (prefix + year + sequence, see
            # tongxin.recruitment.services), so they are unique install-wide.
            models.UniqueConstraint(
                fields=["membership_no"],
                condition=~Q(membership_no=""),
                name="person_unique_membership_no",
                violation_error_message="该成员编号已被使用",
            ),
        ]
        indexes = [
            # Lookups by ID number use the unique constraint's partial index: they say
            # HAS_ID_NUMBER too, which is what lets SQLite and PostgreSQL use it.
            models.Index(fields=["name"]),
            models.Index(fields=["name_pinyin"]),
            models.Index(fields=["name_initials"]),
        ]

    def __str__(self):
        return self.name


Person._meta.get_field("id_number_hash").register_lookup(AnyOf)


class SpellQuerySet(DatedQuerySet):
    def in_subtree(self, path: str):
        return self.filter(subtree_q(path, "org__path"))


class MembershipSpell(models.Model):
    """A dated period of a person in an organization (成员关系)."""

    # No single-column indexes on the keys: the two indexes of Meta lead with them and serve
    # every lookup by person or organization, and each index more slows a large import.
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="spells",
        db_index=False,
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="所在组织",
        on_delete=models.PROTECT,
        related_name="spells",
        db_index=False,
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    start_reason = models.CharField(
        "开始原因",
        max_length=20,
        choices=[(v, SpellReason(v).label) for v in ("admitted", "transferred_in")],
    )
    end_reason = models.CharField(
        "结束原因",
        max_length=20,
        blank=True,
        choices=[
            (v, SpellReason(v).label)
            for v in ("transferred_out", "withdrew", "removed", "expelled", "died")
        ],
    )
    document_no = models.CharField("开始文号", max_length=100, blank=True)
    approved_by = models.CharField("开始审批机关", max_length=100, blank=True)
    end_document_no = models.CharField("结束文号", max_length=100, blank=True)
    end_approved_by = models.CharField("结束审批机关", max_length=100, blank=True)
    # Transfers (转接) travel with a letter of introduction (介绍信); one to an organization
    # outside Tongxin is complete when its receipt (回执) comes back.
    start_letter_no = models.CharField("转入介绍信编号", max_length=100, blank=True)
    came_from = models.CharField("转入前所在组织", max_length=200, blank=True)
    end_letter_no = models.CharField("转出介绍信编号", max_length=100, blank=True)
    went_to = models.CharField("转往组织", max_length=200, blank=True)
    end_receipt_on = models.DateField("转出回执日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = SpellQuerySet.as_manager()

    class Meta:
        verbose_name = "成员关系"
        verbose_name_plural = "成员关系"
        ordering = ["person", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="spell_end_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True, end_reason="")
                | Q(end__isnull=False) & ~Q(end_reason=""),
                name="spell_end_has_reason",
                violation_error_message="结束日期和结束原因须同时填写",
            ),
        ]
        indexes = [
            # Covers "members of a subtree on a date": no table reads for the spells.
            models.Index(fields=["org", "start", "end", "person"], name="spell_org_dates_person"),
            # And "is this person a member there then", asked of each person a search finds
            # (8,221 at the root of the 1M bench tree for the initials zc): no table reads.
            models.Index(fields=["person", "start", "end", "org"], name="spell_person_dates_org"),
        ]

    def __str__(self):
        return f"{self.person} · {self.org} · {self.start}–{self.end or ''}"

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期"})


class Suspension(models.Model):
    """停止组织生活: a dated period in which a member stays on the roll but is not in good
    standing (no introducer, no vote). It ends when organizational life is restored or with the
    membership itself."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="suspensions"
    )
    start = models.DateField("停止日期")
    end = models.DateField("恢复日期", null=True, blank=True)
    reason = models.CharField("原因", max_length=200)
    document_no = models.CharField("文号", max_length=100, blank=True)
    approved_by = models.CharField("审批机关", max_length=100, blank=True)
    end_document_no = models.CharField("恢复文号", max_length=100, blank=True)
    end_approved_by = models.CharField("恢复审批机关", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "停止组织生活"
        verbose_name_plural = "停止组织生活"
        ordering = ["person", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="suspension_end_after_start",
                violation_error_message="恢复日期不能早于停止日期",
            ),
        ]

    def __str__(self):
        return f"{self.person} · 停止组织生活 {self.start}–{self.end or ''}"


class Affiliation(models.Model):
    """管理关系 / 档案所在: the node that keeps the file of a person who is not (or not yet) a
    member there — an applicant, a non-party cadre, a person in a talent pool. Like a spell it
    is dated, and it puts the person in that node's scope for as long as their history lasts."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="affiliations"
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="管理组织",
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    kind = models.CharField("管理类别", max_length=20, choices=AffiliationKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "管理关系"
        verbose_name_plural = "管理关系"
        ordering = ["person", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
        ]
        indexes = [models.Index(fields=["org", "start", "end", "person"])]

    def __str__(self):
        return f"{self.person} · {self.org} · {self.get_kind_display()}"


class PostQuerySet(DatedQuerySet):
    # A post whose appointment date is unknown is in force since ever.
    open_start = True


class Post(models.Model):
    """A dated post: a party post, a government post (实职) or a political seat (政治安排)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField("类别", max_length=20, choices=PostKind.choices)
    title = models.CharField("职务名称", max_length=100)
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="所在组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        help_text="会内职务所在的组织",
    )
    unit = models.CharField("任职单位或机关", max_length=200, blank=True)
    rank = models.CharField("职务级别", max_length=3, choices=AdminRank.choices, blank=True)
    body = models.CharField(
        "政治安排类别", max_length=20, choices=PoliticalBody.choices, blank=True
    )
    level = models.CharField("层级", max_length=20, choices=PoliticalLevel.choices, blank=True)
    term = models.CharField("届次", max_length=50, blank=True)
    start = models.DateField("任职日期", null=True, blank=True)
    end = models.DateField("离任日期", null=True, blank=True)
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "职务与安排"
        verbose_name_plural = "职务与安排"
        ordering = ["person", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="post_end_after_start",
                violation_error_message="离任日期不能早于任职日期",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "rank"]),
            models.Index(fields=["kind", "body", "level"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = "离任日期不能早于任职日期"
        if self.kind == PostKind.GOVERNMENT and not self.rank:
            errors["rank"] = "实职安排须填写职务级别（GB/T 12407）"
        if self.kind == PostKind.POLITICAL:
            if not self.body:
                errors["body"] = "政治安排须选择类别（人大代表、政协委员等）"
            if not self.level:
                errors["level"] = "政治安排须选择层级（全国、省级、市级、县级）"
        if self.kind == PostKind.PARTY and not self.org_id:
            errors["org"] = "会内职务须选择所在组织"
        if errors:
            raise ValidationError(errors)


class HonorLevel(models.TextChoices):
    """Level of the body that conferred an honour (表彰/荣誉)."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    OTHER = "other", "其他"


class Honor(models.Model):
    """An honour a person received from an outside body (市级表彰, 省级以上荣誉称号,
    优秀政协委员 …). Awards the party itself decides in an evaluation round are
    ``evaluation.Award``."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="honors"
    )
    title = models.CharField("荣誉名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=HonorLevel.choices)
    conferred_by = models.CharField("授予机关", max_length=200)
    conferred_on = models.DateField("授予日期")
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "表彰荣誉"
        verbose_name_plural = "表彰荣誉"
        ordering = ["person", "-conferred_on"]
        indexes = [models.Index(fields=["conferred_on", "level"])]

    def __str__(self):
        return f"{self.person} · {self.title}"
