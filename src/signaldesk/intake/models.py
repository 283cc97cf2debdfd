"""Import runs and their row-level errors, so nothing bad is silently dropped."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=500)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class ImportRowError(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="errors")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"
