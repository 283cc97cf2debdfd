"""The privacy app's own table: one ErasureRecord per erased customer. Commerce models are not
changed; `selectors.customer_is_erased` answers "was this customer erased?" for other apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.commerce.models import Customer


class ErasureRecord(models.Model):
    """A customer's personal data was erased. The reason is kept here (not in the audit log,
    which must not hold personal data); `counts` says how many rows each model had changed."""

    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32, unique=True, help_text="erased-<token> placeholders")
    erased_at = models.DateTimeField(db_index=True)
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    counts = models.JSONField(default=dict, blank=True)
    files_deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"customer {self.customer_id} erased {self.erased_at:%Y-%m-%d %H:%M}"
