"""Inserting many rows in one statement per chunk, without building model instances.

Ingestion writes up to 10,000 events and as many weekly counts per call;
`bulk_create` spends most of that time making and compiling model instances.
These helpers send plain parameter rows through `executemany`, with values
adapted by the backend's own operations (dates, datetimes, JSON), and the same
SQL on SQLite and PostgreSQL (`ON CONFLICT … DO UPDATE` is in both).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections

CHUNK = 2000
# `in` lookups are split so no database meets its limit of query parameters.
LOOKUP_CHUNK = 900


def chunks(values: Sequence, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _adapter(model, name: str):
    """The conversion of one field's values for the database, looked up once per call."""
    field = model._meta.get_field(name)
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: ops.adapt_json_value(value, field.encoder)
    # The connection itself, not the proxy `connection` that looks it up on every use.
    database = connections[DEFAULT_DB_ALIAS]
    return lambda value: field.get_db_prep_save(value, database)


def db_value(model, name: str, value):
    """One value as the database takes it (a UUID key is text on SQLite): adapt it once
    when every row shares it."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def insert_rows(
    model,
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    adapt: Sequence[str] = (),
    conflict: Sequence[str] = (),
    add_on_conflict: Sequence[str] = (),
) -> None:
    """Insert `rows` (values in `fields` order) into `model`'s table.

    `adapt`: fields whose values need the field's own conversion (dates,
    datetimes, JSON); others go as they are. With `conflict` (the unique
    fields) and `add_on_conflict`, a row that exists has those counters
    increased by the new row's values instead.
    """
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in fields]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if conflict:
        table = quote(model._meta.db_table)
        targets = ", ".join(quote(model._meta.get_field(name).column) for name in conflict)
        updates = ", ".join(
            f"{quote(column)} = {table}.{quote(column)} + EXCLUDED.{quote(column)}"
            for column in (model._meta.get_field(name).column for name in add_on_conflict)
        )
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {updates}"
    adapters = {fields.index(name): _adapter(model, name) for name in adapt}
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                row = [
                    adapters[i](value) if i in adapters else value for i, value in enumerate(row)
                ]
            chunk.append(row)
            if len(chunk) >= CHUNK:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
