from django.conf import settings
from django.db import models

from tongxin.core.fieldcrypt import EncryptedBinaryField, EncryptedJSONField


class ImportBatch(models.Model):
    """One roster workbook brought in: who, when, which file, what it changed.

    The file itself is kept so that the check and the write read exactly what was uploaded.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "等待检查"
        CHECKING = "checking", "正在检查"
        REJECTED = "rejected", "有错误，未导入"
        CHECKED = "checked", "检查通过，等待确认"
        CONFIRMED = "confirmed", "等待写入"
        WRITING = "writing", "正在写入"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"
        UNDO_REQUESTED = "undo_requested", "等待撤销"
        UNDOING = "undoing", "正在撤销"
        UNDONE = "undone", "已撤销"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file_name = models.CharField("文件名", max_length=255)
    file_hash = models.CharField("文件 SHA-256", max_length=64)
    # The file, its errors (which quote cells, ID numbers among them) and the values an import
    # replaced are personal data: encrypted like the ID numbers.
    content = EncryptedBinaryField("文件内容")
    effective_date = models.DateField("变动生效日期", help_text="转接、职务变动按此日期记录")
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增人员", default=0)
    updated = models.PositiveIntegerField("更新人员", default=0)
    unchanged = models.PositiveIntegerField("未变化人员", default=0)
    transferred = models.PositiveIntegerField("组织转接", default=0)
    orgs_created = models.PositiveIntegerField("新增组织", default=0)
    orgs_updated = models.PositiveIntegerField("更新组织", default=0)
    errors = EncryptedJSONField("错误", default=list)
    warnings = EncryptedJSONField("提示", default=list)
    message = models.TextField("说明", blank=True)
    # When a worker took the batch up: with the worker's heartbeat (jobs.heartbeat), how a batch
    # whose worker died is told from one that is still running.
    claimed_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）"

    def save_state(self) -> None:
        """Save every field but the file itself: its megabytes never change after the upload,
        and writing them again cost a large import most of a second."""
        self.save(
            update_fields=[
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "content"
            ]
        )


class BatchChange(models.Model):
    """One record an import created or changed, with its values before and after, for undo."""

    class Action(models.TextChoices):
        CREATED = "created", "新增"
        UPDATED = "updated", "修改"

    # No database foreign key: the batch is written first in the same transaction, and on
    # PostgreSQL the deferred check of each of an import's hundreds of thousands of change
    # rows against it cost a second at commit. Deleting a batch still deletes its changes
    # (Django's collector), and nothing else writes these rows.
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="changes", db_constraint=False
    )
    model = models.CharField(max_length=50)  # "people.person", "people.membershipspell" …
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    before = EncryptedJSONField("变更前的值", default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        verbose_name = "导入变更记录"
        verbose_name_plural = "导入变更记录"
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.model}#{self.object_id}"
