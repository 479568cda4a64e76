"""Writing many new rows at once, cheaper than the ORM's `bulk_create`.

`bulk_create` compiles every value of every row into the SQL text: for a plan
of a large landscape (a thousand adoption targets, tens of thousands of
audience rows) that costs more than the database's own work. `insert_rows`
sends one prepared statement with all the rows (`executemany`) and converts a
value to the database's form only for the columns whose form differs between
backends (UUIDs, dates and times).

It writes what it is given and nothing else: no signals, no `save()`, no
validation. Callers pass values the model already checks (generated content).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.db import models, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

# Columns whose Python value is what every backend stores: no conversion needed.
_PLAIN_TYPES = frozenset(
    {
        "BooleanField",
        "CharField",
        "FloatField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)
_MISSING = object()


def insert_rows(model: type[models.Model], rows: Iterable[Mapping[str, object]]) -> int:
    """Insert new rows, each a mapping of attribute names (`engagement_id`) to values.

    A column a row leaves out takes the field's default (a callable one, such as
    `uuid4`, is called for each row); `auto_now` and `auto_now_add` columns take
    the current time, one microsecond later for each row so that ordering by
    creation keeps the order of `rows` (as saving them one by one would). An
    auto-incremented key is left to the database. Returns the number of rows
    written.
    """
    connection = transaction.get_connection()
    now = timezone.now()
    fields = [
        field for field in model._meta.concrete_fields if not isinstance(field, AutoFieldMixin)
    ]
    converters = [_converter(field, connection) for field in fields]
    params = []
    for position, row in enumerate(rows):
        stamp = now + timedelta(microseconds=position)
        values = []
        for field, convert in zip(fields, converters, strict=True):
            value = row.get(field.attname, _MISSING)
            if value is _MISSING:
                # The field's default, called for each row (`uuid4`); "" for text
                # without one, else None (which a NOT NULL column refuses, loudly).
                value = stamp if _is_timestamp(field) else field.get_default()
            values.append(value if convert is None or value is None else convert(value))
        params.append(values)
    if not params:
        return 0
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def _converter(field: models.Field, connection) -> Callable[[object], object] | None:
    if field.get_internal_type() in _PLAIN_TYPES:
        return None
    # The same value recurs down a column (the engagement, a stakeholder in every
    # audience): each is converted once. A foreign key takes its target's form;
    # a UUID given as text is parsed first.
    converted: dict = {}

    def convert(value: object) -> object:
        result = converted.get(value, _MISSING)
        if result is _MISSING:
            result = converted[value] = field.get_db_prep_save(value, connection)
        return result

    return convert


def _is_timestamp(field: models.Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
