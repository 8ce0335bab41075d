"""Opening a store: a URL or a file path → an Engine, upgraded to the newest schema.

SQLite (the default, one file): WAL journal so readers never wait for a writer and several
processes can write one after the other; each write transaction starts with BEGIN IMMEDIATE so
two writers queue on the busy timeout instead of failing half-way. PostgreSQL: any
`postgresql://` URL, through psycopg 3.

Schema changes are Alembic migrations shipped in this package; `upgrade` runs the missing ones
(never dropping data) under a lock, so two processes opening a new store at once do not race.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from loguru import logger
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

ENV = "COMPLIANCE_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_MS = 30_000


class StoreError(Exception):
    """The store cannot be opened or used (a bad URL, a newer schema, an unreachable server)."""


def default_path() -> Path:
    """`$COMPLIANCE_DB`, else compliance.db in the user's data folder (XDG)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "compliance" / "compliance.db"


def resolve_url(db: str | os.PathLike | None) -> str:
    """A URL for `--db`: a URL is kept (postgresql:// → psycopg 3), anything else is a file path."""
    raw = str(db) if db is not None else (os.environ.get(ENV) or "")
    if not raw:
        raw = str(default_path())
    if "://" in raw:
        try:
            url = make_url(raw)
        except Exception as e:
            raise StoreError(f"数据库地址无效 invalid database URL: {raw} ({e})") from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise StoreError(f"不支持的数据库 unsupported database: {url.get_backend_name()} (SQLite file or postgresql:// URL)")
        return url.render_as_string(hide_password=False)
    path = Path(raw).expanduser()
    if path.exists() and not path.is_file():
        raise StoreError(f"{path}: 不是普通文件 not a regular file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{path.parent}: 无法创建目录 cannot create folder ({e.strerror or e})") from None
    return f"sqlite:///{path.resolve()}"


def _fast_sqlite_params() -> None:
    """Python's sqlite3 binds only int, float, str and bytearray directly; every other value (None,
    bytes, bool) goes through its adapter look-up first — a tuple built, a dict searched, two
    attribute look-ups — which cost more than SQLite's own work for a rule row (a report's rows
    hold ~100 such values). Registered adapters are found at the first step: the values stored
    are the same (None → NULL, bytes → BLOB, a bool → INTEGER 0/1, as without them). Process-wide,
    as sqlite3's registry is; adapters of our own for other types are left alone."""
    adapters: list[tuple[type, Any]] = [(type(None), {}.get), (bytes, bytes), (bool, int)]  # each a C function
    for typ, adapt in adapters:
        if (typ, sqlite3.PrepareProtocol) not in sqlite3.adapters:
            sqlite3.register_adapter(typ, adapt)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _fast_sqlite_params()
        engine = create_engine(url, connect_args={"timeout": BUSY_MS / 1000})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
            cur.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            immediate = conn.get_execution_options().get("write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)
    return ScriptDirectory.from_config(cfg).get_current_head()  # type: ignore[return-value]


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations this store lacks, one process at a time."""
    from alembic import command
    from alembic.script import ScriptDirectory

    cur = current_revision(engine)
    head = head_revision()
    if cur == head and revision == "head":
        return
    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config(None)).walk_revisions()}
    if cur is not None and cur not in known:
        raise StoreError(f"数据库的结构版本 {cur} 比本程序新，请升级 compliance "
                         f"(the database schema {cur} is newer than this version of compliance)")
    with engine.connect().execution_options(write=True) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7215012)"))  # any fixed key: ours
        else:
            conn.begin()  # BEGIN IMMEDIATE: a second process waits here
        cfg = _alembic_config(conn)
        logger.info("store: upgrading schema {} → {}", cur or "(empty)", revision)
        command.upgrade(cfg, revision)
        conn.commit()


def open_engine(db: str | os.PathLike | None = None, migrate: bool = True) -> Engine:
    url = resolve_url(db)
    engine = make_engine(url)
    if migrate:
        try:
            upgrade(engine)
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"无法打开数据库 cannot open the database {make_url(url).render_as_string()}: "
                             f"{' '.join(str(e).split())[:300]}") from None
    return engine
