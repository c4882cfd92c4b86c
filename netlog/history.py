"""Append-only history: rows that record what happened are never rewritten.

A correction or a withdrawal is a new row. Deleting stays possible, because erasing a
person (UK GDPR Art. 17) must remove their history too; that is done by the erasure
service, never by editing.
"""

from django.db import models


class HistoryIsAppendOnly(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsAppendOnly(f"{self.model.__name__} rows are never updated; add a new one.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise HistoryIsAppendOnly(
                f"{type(self).__name__} rows are never updated; add a new one."
            )
        super().save(*args, **kwargs)
