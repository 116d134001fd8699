"""Errors and persistence behind the local Glue catalog: one SQLite file, one
transaction per write.

Documents (databases, tables, partitions) are stored as the JSON Glue returns, keyed
like Glue keys them. SQLite gives what a JSON file would need locks for: two processes
(a pipeline run and ``lakehouse query``) writing at once, and readers that see a
partition either before or after a re-point, never half-written.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

LOCAL_CATALOG_ID = "000000000000"
ENTITY_NOT_FOUND = "EntityNotFoundException"
ALREADY_EXISTS = "AlreadyExistsException"
INVALID_INPUT = "InvalidInputException"
PAGE_SIZE = 1000
# kind -> key columns; the document is stored beside its key.
KINDS = {"databases": ("name",), "tables": ("db", "name"), "partitions": ("db", "tbl", "vals")}


class ServiceError(Exception):
    """A failed AWS call the way a Step Functions task reports it: Error name + Cause."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class CatalogError(ServiceError):
    """A Glue API error; ``error`` is the Step Functions name (Glue.EntityNotFoundException)."""

    def __init__(self, code: str, message: str) -> None:
        # The cause text is what the AWS SDK puts in a Step Functions TaskFailed event.
        request = f"(Service: Glue, Status Code: 400, Request ID: {uuid.uuid4()})"
        super().__init__(f"Glue.{code}", f"{message} {request}")
        self.code = code
        self.message = message


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def page(items: list[dict], token: str | None, size: int | None, name: str) -> dict:
    """One page of a Glue list response; NextToken is the next offset, opaque to callers."""
    start = int(token) if token else 0
    end = start + (size or PAGE_SIZE)
    return {name: items[start:end], **({"NextToken": str(end)} if end < len(items) else {})}


class CatalogStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.read() as con:
            con.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            for kind, keys in KINDS.items():
                columns = ", ".join(f"{k} TEXT" for k in keys)
                con.execute(
                    f"CREATE TABLE IF NOT EXISTS {kind} ({columns}, doc TEXT NOT NULL, "
                    f"PRIMARY KEY ({', '.join(keys)}))"
                )
            con.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")

    def reroot(self, root_uri: str) -> None:
        """Locations are absolute ``file://`` URIs, as Glue stores ``s3://`` ones. A lake
        copied or moved to another folder would read the original's files through them:
        the first time the catalog is opened at a new place, every location under the
        recorded lake root moves under the new one."""
        with self.read() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'lake_root'").fetchone()
        if row is not None and row[0] == root_uri:
            return
        with self.write() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'lake_root'").fetchone()
            if row is not None and row[0] != root_uri:
                old, new = (json.dumps(f"{u}/")[1:-1] for u in (row[0], root_uri))
                for kind in KINDS:
                    con.execute(f"UPDATE {kind} SET doc = replace(doc, ?, ?)", (old, new))
            con.execute("INSERT OR REPLACE INTO meta VALUES ('lake_root', ?)", (root_uri,))

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        # WAL + NORMAL: a crashed process never corrupts or half-commits; only an OS crash
        # may lose the latest commits, acceptable for a local lake, and no fsync per write.
        con.execute("PRAGMA synchronous=NORMAL")
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One read-modify-write transaction; IMMEDIATE serialises concurrent writers."""
        with self.read() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def get(con: sqlite3.Connection, kind: str, *key: str) -> dict | None:
        where = " AND ".join(f"{k} = ?" for k in KINDS[kind])
        row = con.execute(f"SELECT doc FROM {kind} WHERE {where}", key).fetchone()
        return json.loads(row[0]) if row else None

    @staticmethod
    def put(con: sqlite3.Connection, kind: str, key: tuple[str, ...], doc: dict) -> None:
        marks = ", ".join("?" for _ in range(len(key) + 1))
        con.execute(f"INSERT OR REPLACE INTO {kind} VALUES ({marks})", (*key, json.dumps(doc)))

    @staticmethod
    def delete(con: sqlite3.Connection, kind: str, *key: str) -> int:
        where = " AND ".join(f"{k} = ?" for k in KINDS[kind][: len(key)])
        return con.execute(f"DELETE FROM {kind} WHERE {where}", key).rowcount

    @staticmethod
    def list(con: sqlite3.Connection, kind: str, *prefix: str) -> list[dict]:
        keys = KINDS[kind]
        where = " AND ".join(f"{k} = ?" for k in keys[: len(prefix)]) or "1 = 1"
        sql = f"SELECT doc FROM {kind} WHERE {where} ORDER BY {', '.join(keys)}"
        return [json.loads(row[0]) for row in con.execute(sql, prefix).fetchall()]


def values_key(values: list[str]) -> str:
    return json.dumps([str(v) for v in values])


def filter_partitions(partitions: list[dict], keys: list[dict], expression: str) -> list[dict]:
    """Partitions whose key values satisfy a Glue ``Expression`` such as
    ``ingest_date >= '2026-01-01' AND ingest_date < '2026-02-01'``.

    Keys are typed as the table declares them (a string key compares as text, an int
    key as a number, like Glue). Raises ValueError when the expression does not parse.
    """
    try:
        condition = sqlglot.parse_one(expression, read="hive", into=exp.Condition)
    except sqlglot.errors.ParseError as exc:
        raise ValueError(str(exc)) from exc
    columns = ", ".join(
        f"{exp.to_identifier(k['Name'], quoted=True).sql('duckdb')} "
        f"{exp.DataType.build(k['Type'], dialect='hive').sql('duckdb')}"
        for k in keys
    )
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE candidates (position INTEGER, {columns})")
        rows = [(i, *p["Values"]) for i, p in enumerate(partitions)]
        if rows:
            marks = ", ".join("?" for _ in range(len(keys) + 1))
            con.executemany(f"INSERT INTO candidates VALUES ({marks})", rows)
        where = condition.sql("duckdb")
        matched = con.execute(f"SELECT position FROM candidates WHERE {where} ORDER BY 1")
        return [partitions[row[0]] for row in matched.fetchall()]
    except duckdb.Error as exc:
        raise ValueError(str(exc)) from exc
    finally:
        con.close()
