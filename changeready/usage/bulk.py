"""Inserting many rows in one statement per chunk, without building model instances.

Ingestion writes up to 10,000 events and as many weekly counts per call;
`bulk_create` spends most of that time making and compiling model instances.
These helpers send plain parameter rows, a thousand to a statement, with values
adapted by the backend's own operations (dates, datetimes, JSON), and the same
SQL on SQLite and PostgreSQL (`ON CONFLICT … DO NOTHING / DO UPDATE` and
`RETURNING` are in both).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections

ROWS_PER_STATEMENT = 1000
MAX_PARAMETERS = 30_000
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
    returning: str | None = None,
) -> list:
    """Insert `rows` (values in `fields` order) into `model`'s table, many rows a statement.

    `adapt`: fields whose values need the field's own conversion (dates,
    datetimes, JSON); others go as they are. With `conflict` (the unique
    fields), a row that exists is left alone, or with `add_on_conflict` has
    those counters increased by the new row's values. `returning` names a field
    whose values of the rows actually inserted (or updated) are returned.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in fields]
    head = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES "
    tail = ""
    if conflict:
        targets = ", ".join(quote(model._meta.get_field(name).column) for name in conflict)
        updates = ", ".join(
            f"{quote(column)} = {table}.{quote(column)} + EXCLUDED.{quote(column)}"
            for column in (model._meta.get_field(name).column for name in add_on_conflict)
        )
        tail = f" ON CONFLICT ({targets}) " + (
            f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        )
    if returning:
        tail += f" RETURNING {quote(model._meta.get_field(returning).column)}"
    placeholder = f"({', '.join(['%s'] * len(columns))})"
    # Within every database's limit of parameters a statement (SQLite's is 32,766).
    per_statement = max(1, min(ROWS_PER_STATEMENT, MAX_PARAMETERS // len(columns)))
    adapters = {fields.index(name): _adapter(model, name) for name in adapt}
    returned: list = []

    def send(cursor, chunk) -> None:
        sql = head + ", ".join([placeholder] * len(chunk)) + tail
        cursor.execute(sql, [value for row in chunk for value in row])
        if returning:
            returned.extend(row[0] for row in cursor.fetchall())

    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                row = [adapters[i](v) if i in adapters else v for i, v in enumerate(row)]
            chunk.append(row)
            if len(chunk) >= per_statement:
                send(cursor, chunk)
                chunk = []
        if chunk:
            send(cursor, chunk)
    return returned
