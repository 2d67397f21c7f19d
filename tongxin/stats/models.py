"""What the statistics keep between requests: the results of their aggregate queries, valid
while the data they count is unchanged (tongxin.stats.cache)."""

from django.db import models

from tongxin.core.codes import PARTY_CHOICES

from .report.defaults import PARTS


class DataVersion(models.Model):
    """One row (pk 1), there once the store's triggers are installed: ``version`` is the
    version of everything, the number of folds that took in at least one write
    (tongxin.stats.cache.resolve)."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self):
        return f"数据版本 {self.version}"


class SubtreeVersion(models.Model):
    """The writes folded so far (tongxin.stats.cache.resolve), counted for each organization
    they concerned and each of its ancestors (``path``: a materialized path), and under ``""``
    those that concerned everything. The version of the node at ``path`` is its row's
    ``version`` plus the ``""`` row's. A version only grows."""

    path = models.CharField(max_length=255, unique=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "子树数据版本"
        verbose_name_plural = "子树数据版本"

    def __str__(self):
        return f"{self.path or '全部'}：{self.version}"


class PendingChange(models.Model):
    """What a write wrote, recorded by the database's triggers and not yet folded into the
    versions: ``kind`` "p" a person (``ref`` its id), "o" an organization (its id) named by a
    roster row, "f" an organization's own row (its id: the people tied to it), "t" an
    organization's path (``ref``), "a" everything (a code table, a rule, a domain app's
    record). Read and deleted in one transaction by the next figure lookup."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=1)
    ref = models.CharField(max_length=255, default="")

    class Meta:
        verbose_name = "待处理数据变更"
        verbose_name_plural = "待处理数据变更"

    def __str__(self):
        return f"{self.kind}:{self.ref}"


class CachedAggregate(models.Model):
    """The row of one aggregate query (``key``: a hash of its SQL and parameters) as counted at
    data version ``version``; used only while the version is still the same."""

    key = models.CharField(max_length=64, unique=True)
    # Whose version: a node's path, or "*" for everything's (tongxin.stats.cache).
    series = models.CharField(max_length=255, default="*")
    version = models.BigIntegerField()
    row = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "统计结果缓存"
        verbose_name_plural = "统计结果缓存"
        # A report's first lookup reads every row of its node's version (cache._block_read).
        indexes = [models.Index(fields=["series", "version"], name="stats_cached_series_ver")]

    def __str__(self):
        return f"{self.key[:12]}…（数据版本 {self.version}）"


class ReportSentence(models.Model):
    """A sentence template of the yearly work report (tongxin.stats.report.templating): the
    default set (``party`` empty) is stored after ``migrate`` and follows the code's defaults
    until the administrator edits it (report.stored); a party's own template under the same
    ``slot`` replaces the default for that party's organizations."""

    class WhenMissing(models.TextChoices):
        OMIT = "omit", "略去整句"
        MARK = "mark", "保留【待补充】标记"

    party = models.CharField(
        "适用党派",
        max_length=2,
        blank=True,
        choices=PARTY_CHOICES,
        help_text="留空：各党派通用的默认句子；选定党派：该党派的组织用此句替换同一编号的默认句子",
    )
    part = models.CharField("所在部分", max_length=20, choices=PARTS)
    topic = models.CharField(
        "小标题", max_length=40, blank=True, help_text="同一小标题的句子合为一段"
    )
    slot = models.SlugField("编号", max_length=60)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    text = models.TextField(
        "句子模板",
        help_text="统计数字写作 {键名}，如 {members.total}；上年数 {键名|上年}；"
        "增减 {键名|增减:人}；占比 {键名|占:members.total}；年份 {year}；"
        "[…] 内的分句在其数字为0时略去",
    )
    what = models.CharField("缺数时的说明", max_length=60, help_text="【待补充：…】标记中写的内容")
    when_missing = models.CharField(
        "无记录时", max_length=4, choices=WhenMissing.choices, default=WhenMissing.OMIT
    )
    active = models.BooleanField("启用", default=True)
    # The digest of the code's default this row was stored from (report.stored): while the row
    # still hashes to it, a new version of the default replaces it; blank for a party's own.
    default_digest = models.CharField("默认句子指纹", max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = "年度工作总结句子模板"
        verbose_name_plural = "年度工作总结句子模板"
        ordering = ["part", "order", "party"]
        constraints = [
            models.UniqueConstraint(fields=["party", "slot"], name="report_sentence_party_slot"),
        ]

    def __str__(self):
        party = f"（{self.get_party_display()}）" if self.party else ""
        return f"{self.get_part_display()} · {self.slot}{party}"

    def clean(self):
        from .report.keys import check_template

        check_template(self.text)
