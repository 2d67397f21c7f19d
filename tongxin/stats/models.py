"""What the statistics keep between requests: the results of their aggregate queries, valid
while the data they count is unchanged (tongxin.stats.cache)."""

from django.db import models


class DataVersion(models.Model):
    """One row (pk 1). On SQLite a trigger on every table the figures may read adds one to
    ``version`` for each row written. On PostgreSQL the triggers add a row to DataChange
    instead (no lock shared by all writers), and the version is ``version`` plus their count;
    ``version`` takes in the rows compacted away."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self):
        return f"数据版本 {self.version}"


class DataChange(models.Model):
    """PostgreSQL: one row per statement that wrote a table the figures may read. A row is
    visible once its transaction commits, together with what it wrote."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = "数据变更"
        verbose_name_plural = "数据变更"

    def __str__(self):
        return f"数据变更 {self.pk}"


class CachedAggregate(models.Model):
    """The row of one aggregate query (``key``: a hash of its SQL and parameters) as counted at
    data version ``version``; used only while the version is still the same."""

    key = models.CharField(max_length=64, unique=True)
    version = models.BigIntegerField()
    row = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "统计结果缓存"
        verbose_name_plural = "统计结果缓存"

    def __str__(self):
        return f"{self.key[:12]}…（数据版本 {self.version}）"
