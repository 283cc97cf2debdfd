"""Set-based upserts by natural key: one query to fetch what exists, an in-memory diff, and one
`executemany` of `INSERT … ON CONFLICT (key) DO UPDATE` for the new and changed rows (the same SQL
on SQLite and PostgreSQL). Unchanged rows are not written at all, which makes re-imports cheap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

Key = tuple[Any, ...]
Values = tuple[Any, ...]


@dataclass
class UpsertResult:
    created: set[Key] = field(default_factory=set)
    updated: set[Key] = field(default_factory=set)
    pks: dict[Key, int] = field(default_factory=dict)

    def state(self, key: Key) -> str:
        if key in self.created:
            return "created"
        if key in self.updated:
            return "updated"
        return "unchanged"


_SQLITE_DT: dict[dt.datetime, str] = {}


def _sqlite_datetime(value: dt.datetime) -> str:
    """Django's SQLite format (naive UTC text) without its per-call settings lookups. A row
    often repeats one instant (created = paid = fulfilled, a ticket and its first comment): a
    small cache, emptied when full, converts each instant once."""
    text = _SQLITE_DT.get(value)
    if text is None:
        naive = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        text = naive.isoformat(" ")
        if len(_SQLITE_DT) >= 20_000:
            _SQLITE_DT.clear()
        _SQLITE_DT[value] = text
    return text


def _sqlite_json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _adapter(f: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    sqlite_utc = connection.vendor == "sqlite" and connection.timezone_name == "UTC"
    if isinstance(f, models.JSONField):
        if connection.vendor == "sqlite" and f.encoder is None:
            return _sqlite_json
        encoder = f.encoder
        return lambda v: ops.adapt_json_value(v, encoder)
    if isinstance(f, models.DateTimeField):
        return _sqlite_datetime if sqlite_utc else ops.adapt_datetimefield_value
    if isinstance(f, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(f, models.DecimalField):
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the identity on SQLite and PostgreSQL: skip the per-value call
        return lambda v: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
    return None


class Table:
    """Upserts for one model keyed by `key` (attnames). `fields` are compared and written;
    auto_now fields are stamped on every write; every other column gets its default on insert
    and is left alone on update (so an import never wipes what triage or agents set)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        key: Sequence[str],
        fields: Sequence[str],
        conflict_where: str = "",
        scope: Q | None = None,
        update: bool = True,
    ) -> None:
        meta = model._meta
        concrete = [f for f in meta.concrete_fields if not f.primary_key]
        by_name = {f.attname: f for f in meta.concrete_fields}
        self.model = model
        self.key = tuple(key)
        self.fields = tuple(fields)
        self.scope = scope
        self.touch = tuple(
            f.attname
            for f in concrete
            if getattr(f, "auto_now", False) and f.attname not in self.fields
        )
        given = (*self.key, *self.fields)
        rest = [f for f in concrete if f.attname not in given and f.attname not in self.touch]
        nk = len(self.key)  # key columns are never cut: importers check their length
        self._clip: list[tuple[int, int]] = [
            (i - nk, int(by_name[name].max_length or 0))
            for i, name in enumerate(given)
            if i >= nk and isinstance(by_name[name], models.CharField) and by_name[name].max_length
        ]
        self._adapt = [
            (i, fn) for i, name in enumerate(given) if (fn := _adapter(by_name[name])) is not None
        ]
        touch_adapters = [_adapter(by_name[name]) for name in self.touch]
        self._touch_adapters = touch_adapters
        rest_values: list[Any] = []
        for f in rest:
            value = f.get_default()
            fn = _adapter(f)
            rest_values.append(fn(value) if fn is not None and value is not None else value)
        self._rest = tuple(rest_values)
        q = connection.ops.quote_name
        col = {name: str(f.column) for name, f in by_name.items()}
        columns = [col[n] for n in (*given, *self.touch)] + [str(f.column) for f in rest]
        update_cols = [col[n] for n in (*self.fields, *self.touch)] if update else []
        target = ", ".join(q(col[n]) for n in self.key)
        where = f" WHERE {conflict_where}" if conflict_where else ""
        action = (
            "DO UPDATE SET " + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in update_cols)
            if update_cols
            else "DO NOTHING"
        )
        self._insert = (
            f"INSERT INTO {q(meta.db_table)} ({', '.join(q(c) for c in columns)}) VALUES "
        )
        self._one = f"({', '.join(['%s'] * len(columns))})"
        self._returning = f" RETURNING {q(str(meta.pk.column))}, {target}"
        self.ncols = len(columns)
        self.sql = f"{self._insert}{self._one} ON CONFLICT ({target}){where} {action}"
        self.by_pk = self.key == (meta.pk.attname,)
        if self.by_pk:  # rows that exist already: a plain UPDATE by primary key
            sets = ", ".join(f"{q(c)} = %s" for c in update_cols)
            self.sql = f"UPDATE {q(meta.db_table)} SET {sets} WHERE {target} = %s"

    def clip(self, values: Values) -> Values:
        """Cut strings to their column's max_length (PostgreSQL refuses longer ones)."""
        for i, n in self._clip:
            value = values[i]
            if isinstance(value, str) and len(value) > n:
                break
        else:
            return values  # the usual case: nothing to cut, no copy
        row = list(values)
        for i, n in self._clip:
            value = row[i]
            if isinstance(value, str) and len(value) > n:
                row[i] = value[:n]
        return tuple(row)

    def _query(self, keys: Iterable[Key]) -> models.QuerySet[Any]:
        """`key IN (…)` as raw SQL: Django's per-value processing of big IN lists costs more
        than the query itself."""
        keys = list(keys)
        qs = self.model._default_manager.all()
        for i, name in enumerate(self.key):
            qs = where_in(qs, name, {k[i] for k in keys})
        if self.scope is not None:
            qs = qs.filter(self.scope)
        return qs

    def existing(self, keys: Iterable[Key]) -> dict[Key, tuple[int, Values]]:
        wanted = set(keys)
        if not wanted:
            return {}
        nk = len(self.key)
        out: dict[Key, tuple[int, Values]] = {}
        for row in self._query(wanted).values_list("pk", *self.key, *self.fields):
            key = tuple(row[1 : 1 + nk])
            if key in wanted:
                out[key] = (row[0], tuple(row[1 + nk :]))
        return out

    def pks(self, keys: Iterable[Key]) -> dict[Key, int]:
        wanted = set(keys)
        if not wanted:
            return {}
        nk = len(self.key)
        out: dict[Key, int] = {}
        for row in self._query(wanted).values_list("pk", *self.key):
            key = tuple(row[1 : 1 + nk])
            if key in wanted:
                out[key] = row[0]
        return out

    def _params(self, rows: Iterable[tuple[Key, Values]]) -> list[tuple[Any, ...]]:
        now = timezone.now()
        touch = tuple(fn(now) if fn is not None else now for fn in self._touch_adapters)
        tail = (*touch, *self._rest)
        adapt = self._adapt
        if not adapt:
            return [(*key, *values, *tail) for key, values in rows]
        params = []
        for key, values in rows:
            row = [*key, *values, *tail]
            for i, fn in adapt:
                value = row[i]
                if value is not None:
                    row[i] = fn(value)
            params.append(tuple(row))
        return params

    def insert_returning(self, rows: Mapping[Key, Values]) -> dict[Key, int]:
        """Plain multi-row INSERT … RETURNING pk, key (for tables whose key is not unique in the
        database, e.g. customers by email); keys must be distinct."""
        out: dict[Key, int] = {}
        items = [(k, self.clip(v)) for k, v in rows.items()]
        per = max(1, 30000 // self.ncols)
        nk = len(self.key)
        with connection.cursor() as cursor:
            for start in range(0, len(items), per):
                params = self._params(items[start : start + per])
                sql = self._insert + ", ".join([self._one] * len(params)) + self._returning
                cursor.execute(sql, [v for row in params for v in row])
                for row in cursor.fetchall():
                    out[tuple(row[1 : 1 + nk])] = row[0]
        return out

    def write(self, rows: Iterable[tuple[Key, Values]]) -> int:
        params = self._params(rows)
        if self.by_pk:
            nf = len(self.fields) + len(self.touch)
            params = [(*p[1 : 1 + nf], p[0]) for p in params]
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, params)
        return len(params)

    def upsert(self, rows: Mapping[Key, Values], *, need_pks: bool = True) -> UpsertResult:
        """Insert new keys, update changed ones, skip identical ones; return pks for all."""
        result = UpsertResult()
        clipped = {k: self.clip(v) for k, v in rows.items()}
        existing = self.existing(clipped)
        to_write: list[tuple[Key, Values]] = []
        for key, values in clipped.items():
            found = existing.get(key)
            if found is None:
                result.created.add(key)
                to_write.append((key, values))
            else:
                result.pks[key] = found[0]
                if found[1] != values:
                    result.updated.add(key)
                    to_write.append((key, values))
        self.write(to_write)
        if result.created and need_pks:
            result.pks.update(self.pks(result.created))
        return result


def where_in(qs: models.QuerySet[Any], name: str, values: Iterable[Any]) -> models.QuerySet[Any]:
    """`qs.filter(name__in=values)` without Django's per-value processing (slow for thousands
    of values); `name` is a concrete field of qs.model (attname or name)."""
    values = list(values)
    if not values:
        return qs.none()
    q = connection.ops.quote_name
    meta = qs.model._meta
    column = str(meta.get_field(name).column)  # type: ignore[union-attr]
    sql = f"{q(meta.db_table)}.{q(column)} IN ({', '.join(['%s'] * len(values))})"
    # identifiers come from model metadata; every value is a bound parameter
    return qs.filter(RawSQL(sql, values, output_field=BooleanField()))  # noqa: S611


def worst(*states: str) -> str:
    """Row outcome over the objects it wrote: created beats updated beats unchanged."""
    if "created" in states:
        return "created"
    if "updated" in states:
        return "updated"
    return "unchanged"
