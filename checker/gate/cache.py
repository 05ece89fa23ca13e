"""A persistent cache of results: one SQLite file in a cache directory.

SQLite gives what a folder of files would have to build by hand: a batch written in one
transaction is there whole or not at all, even when the process is killed; several
processes can read and write at once (WAL journal, a busy timeout); and one file can be
set aside when it is damaged. Values are opaque bytes (see `checker.gate.codec`), stored
zlib-compressed under a (namespace, key) pair.

Nothing here is essential to a run: every failure raises `CacheUnavailable`, and the
caller carries on without the cache. A `Cache` belongs to the thread and process that
opened it; open another one after a fork.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Final, Self

DB_NAME: Final = "cache.sqlite3"
# Bump when the tables change: a file in another format is emptied and rebuilt.
FORMAT_VERSION: Final = "1"
# Long enough for another process's batch to commit, short enough not to hang CI forever.
BUSY_TIMEOUT_S: Final = 30.0
# Keys per query: well under SQLite's smallest limit on bound parameters (999).
BATCH_SIZE: Final = 500
# A read refreshes an entry's last use at most this often, so reads rarely write.
TOUCH_EVERY_S: Final = 86_400
_COMPRESSION: Final = 6
_DAMAGED_CODES: Final = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

_GITIGNORE: Final = "# Automatically created by checker.\n*\n"
# https://bford.info/cachedir/: backup tools skip a directory holding this file.
_CACHEDIR_TAG: Final = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by checker.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
_SCHEMA: Final = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE entries (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB NOT NULL,
        size INTEGER NOT NULL,
        last_used INTEGER NOT NULL,
        PRIMARY KEY (namespace, key)
    )""",
    "CREATE INDEX entries_last_used ON entries (last_used)",
)


class CacheUnavailable(Exception):
    """The cache cannot be read or written; the message is one line for a diagnostic."""


def key(*parts: str) -> str:
    """Return a cache key for `parts`: the sha256 of the parts, each prefixed by its length.

    The length prefix keeps ("ab", "c") and ("a", "bc") apart.
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Bytes stored under (namespace, key) in a SQLite file; make one with `Cache.open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        # Entries read whose last use is stale; written back by `close`.
        self._touched: set[tuple[str, str]] = set()

    @classmethod
    def open(cls, directory: Path) -> Cache:
        """Open the cache in `directory`, creating it, or rebuilding a damaged file."""
        directory = Path(directory)
        path = directory / DB_NAME
        try:
            _prepare_directory(directory)
            return cls(_connect_or_recover(path), path)
        except (sqlite3.Error, OSError) as error:
            raise CacheUnavailable(_one_line(f"cannot use the cache at {path}", error)) from error

    def get(self, namespace: str, key: str) -> bytes | None:
        """Return the value stored under `key`, or None."""
        return self.get_many(namespace, [key]).get(key)

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, bytes]:
        """Return the values stored under `keys`, by key; missing keys are left out."""
        wanted = list(dict.fromkeys(keys))
        stale = int(time.time()) - TOUCH_EVERY_S
        found: dict[str, bytes] = {}
        with self._failures("read"):
            for start in range(0, len(wanted), BATCH_SIZE):
                chunk = wanted[start : start + BATCH_SIZE]
                marks = ",".join("?" * len(chunk))
                rows = self._connection.execute(
                    "SELECT key, value, last_used FROM entries"
                    f" WHERE namespace = ? AND key IN ({marks})",
                    (namespace, *chunk),
                )
                for found_key, blob, last_used in rows:
                    value = _decompress(blob)
                    if value is None:
                        continue
                    found[found_key] = value
                    # A row written by hand may hold anything; treat an odd one as stale.
                    if not isinstance(last_used, int) or last_used < stale:
                        self._touched.add((namespace, found_key))
        return found

    def put(self, namespace: str, key: str, value: bytes) -> None:
        """Store one value under `key`."""
        self.put_many(namespace, [(key, value)])

    def put_many(self, namespace: str, items: Iterable[tuple[str, bytes]]) -> int:
        """Store every (key, value) of `items` in one transaction; return how many.

        The items are read inside the transaction, which holds the write lock: pass
        values already computed. If anything fails, none of the batch is stored; an
        error raised by `items` itself reaches the caller unchanged.
        """
        now = int(time.time())
        count = 0

        def rows() -> Iterator[tuple[str, str, bytes, int, int]]:
            nonlocal count
            for item_key, value in items:
                blob = zlib.compress(value, _COMPRESSION)
                count += 1
                yield namespace, item_key, blob, len(blob), now

        with self._failures("write"), self._transaction():
            self._connection.executemany(
                "INSERT OR REPLACE INTO entries (namespace, key, value, size, last_used)"
                " VALUES (?, ?, ?, ?, ?)",
                rows(),
            )
        return count

    def prune(self, max_age_days: float | None = None, max_bytes: int | None = None) -> int:
        """Delete old entries, then the least recently used beyond a size; return how many.

        `max_age_days` drops entries not used for that long; `max_bytes` then drops the
        least recently used until the stored (compressed) values take at most that much.
        """
        self._write_touches()
        deleted = 0
        with self._failures("prune"), self._transaction():
            if max_age_days is not None:
                cutoff = time.time() - max_age_days * 86_400
                cursor = self._connection.execute(
                    "DELETE FROM entries WHERE last_used < ?", (cutoff,)
                )
                deleted += cursor.rowcount
            if max_bytes is not None:
                # Keep the most recently used entries whose sizes add up to `max_bytes`.
                cursor = self._connection.execute(
                    """DELETE FROM entries WHERE rowid IN (
                        SELECT rowid FROM (
                            SELECT rowid, SUM(size) OVER (
                                ORDER BY last_used DESC, rowid DESC
                            ) AS running FROM entries
                        ) WHERE running > ?
                    )""",
                    (max_bytes,),
                )
                deleted += cursor.rowcount
        return deleted

    def close(self) -> None:
        """Record which entries were used, then close the file; closing twice is harmless."""
        try:
            self._write_touches()
        finally:
            self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _write_touches(self) -> None:
        """Refresh the last use of the entries read; best effort, it only guides pruning."""
        if not self._touched:
            return
        now = int(time.time())
        rows = [(now, namespace, k) for namespace, k in sorted(self._touched)]
        self._touched.clear()
        try:
            with self._transaction():
                self._connection.executemany(
                    "UPDATE entries SET last_used = ? WHERE namespace = ? AND key = ?", rows
                )
        except sqlite3.Error:
            pass

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Run the block in one write transaction, rolled back if anything goes wrong."""
        with _transaction(self._connection):
            yield

    @contextmanager
    def _failures(self, action: str) -> Iterator[None]:
        """Turn a SQLite or file-system error into CacheUnavailable."""
        try:
            yield
        except (sqlite3.Error, OSError) as error:
            message = _one_line(f"cannot {action} the cache at {self.path}", error)
            raise CacheUnavailable(message) from error


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads first
    # and writes later can fail with "database is locked" without waiting.
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _prepare_directory(directory: Path) -> None:
    """Create the directory with the files that keep it out of git and backups."""
    directory.mkdir(parents=True, exist_ok=True)
    _write_new(directory / ".gitignore", _GITIGNORE)
    _write_new(directory / "CACHEDIR.TAG", _CACHEDIR_TAG)


def _write_new(path: Path, text: str) -> None:
    if path.exists():
        return
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        pass  # another process wrote it first


def _connect_or_recover(path: Path) -> sqlite3.Connection:
    """Connect; when the file is not a database or is damaged, set it aside and start anew."""
    try:
        return _connect(path)
    except sqlite3.DatabaseError as error:
        if _primary_code(error) not in _DAMAGED_CODES:
            raise
    _set_aside(path)
    return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions, only the explicit ones above.
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _use_wal(connection)
        # In WAL mode NORMAL loses at most the last commits on power loss, never integrity.
        connection.execute("PRAGMA synchronous = NORMAL")
        _ensure_schema(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL, retrying while another process holds a lock.

    The switch (once per file: the mode is stored in it) fails with SQLITE_BUSY at once,
    without waiting as `busy_timeout` makes other statements wait; two processes that
    create the cache together would otherwise see "database is locked".
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if _primary_code(error) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause * (0.5 + random.random()))  # jitter: do not retry in step
        pause = min(pause * 2, 0.25)


def _primary_code(error: sqlite3.Error) -> int | None:
    """Return the SQLite result code, without its extended part (SQLITE_BUSY_RECOVERY...)."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _format(connection: sqlite3.Connection) -> str | None:
    """Return the file's format version, or None when it has none."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not {"meta", "entries"} <= tables:
        return None
    row = connection.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
    return None if row is None else str(row[0])


def _ensure_schema(connection: sqlite3.Connection) -> None:
    """Create the tables, or empty and rebuild them when the file has another format."""
    if _format(connection) == FORMAT_VERSION:
        return
    with _transaction(connection):
        # Checked again under the write lock: another process may have just built them.
        if _format(connection) == FORMAT_VERSION:
            return
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for (table,) in tables:
            quoted = table.replace('"', '""')
            connection.execute(f'DROP TABLE "{quoted}"')
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO meta (name, value) VALUES ('format', ?)", (FORMAT_VERSION,))


def _set_aside(path: Path) -> None:
    """Move a damaged file, with its journal files, out of the way for inspection."""
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            os.replace(source, path.with_name(f"{path.name}.damaged{suffix}"))


def _decompress(blob: object) -> bytes | None:
    """Return the stored value, or None when it is damaged (read as a miss)."""
    if not isinstance(blob, bytes):
        return None
    try:
        return zlib.decompress(blob)
    except zlib.error:
        return None


def _one_line(context: str, error: BaseException) -> str:
    return f"{context}: {' '.join(str(error).split()) or type(error).__name__}"
