"""Inserting many rows set-wise, without building model instances.

Ingestion writes up to 10,000 events and as many weekly counts per call;
`bulk_create` spends most of that time making and compiling model instances.
`insert_rows` sends plain rows with the same conflict handling on both
databases (`ON CONFLICT … DO NOTHING / DO UPDATE`, `RETURNING`):

- SQLite: multi-row `INSERT … VALUES`, a thousand rows a statement, values
  adapted by the backend's own operations (dates, datetimes, JSON).
- PostgreSQL: the rows are streamed with `COPY` into a temporary table, then
  moved with one `INSERT … SELECT`. Django's psycopg cursor binds parameters
  on the client, parsing a statement of ten thousand placeholders in Python;
  that parsing, not the database, took most of a batch's time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

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


def _conflict_clause(model, conflict, add_on_conflict, set_on_conflict, returning) -> str:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)

    def column(name: str) -> str:
        return quote(model._meta.get_field(name).column)

    tail = ""
    if conflict:
        updates = [
            f"{column(n)} = {table}.{column(n)} + EXCLUDED.{column(n)}" for n in add_on_conflict
        ]
        updates += [f"{column(n)} = EXCLUDED.{column(n)}" for n in set_on_conflict]
        tail = f" ON CONFLICT ({', '.join(map(column, conflict))}) " + (
            f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING"
        )
    if returning:
        tail += f" RETURNING {column(returning)}"
    return tail


def insert_rows(
    model,
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    adapt: Sequence[str] = (),
    conflict: Sequence[str] = (),
    add_on_conflict: Sequence[str] = (),
    set_on_conflict: Sequence[str] = (),
    returning: str | None = None,
) -> list:
    """Insert `rows` (values in `fields` order) into `model`'s table, set-wise.

    `adapt`: fields whose values need the field's own conversion (dates,
    datetimes, JSON); others go as they are. With `conflict` (the unique
    fields), a row that exists is left alone, or has its `add_on_conflict`
    counters increased by the new row's values and its `set_on_conflict`
    fields replaced by them. `returning` names a field whose values of the rows
    actually inserted (or updated) are returned. Rows must not repeat a
    conflict key (one statement cannot change a row twice).
    """
    tail = _conflict_clause(model, conflict, add_on_conflict, set_on_conflict, returning)
    if connection.vendor == "postgresql":
        return _copy_rows(model, fields, rows, adapt=adapt, tail=tail, returning=bool(returning))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in fields]
    head = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES "
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


def _copy_rows(model, fields, rows, *, adapt, tail: str, returning: bool) -> list:
    """PostgreSQL: `COPY` the rows into a temporary table, then one `INSERT … SELECT`.

    psycopg adapts dates, datetimes, booleans and UUIDs itself; JSON goes as
    its text. The table lives only in this transaction (a savepoint when the
    caller has one), so an error leaves nothing behind.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    stage = quote(f"stage_{model._meta.db_table}")
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    json_fields = [
        (fields.index(name), model._meta.get_field(name).encoder)
        for name in adapt
        if model._meta.get_field(name).get_internal_type() == "JSONField"
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        # The driver's own cursor: Django's wrapper has no `copy`.
        with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if json_fields:
                    row = list(row)
                    for index, encoder in json_fields:
                        row[index] = json.dumps(row[index], cls=encoder)
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage}{tail}")
        returned = [row[0] for row in cursor.fetchall()] if returning else []
        cursor.execute(f"DROP TABLE {stage}")
    return returned
