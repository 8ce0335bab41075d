"""The inspector's records: every checked report kept in a database (SQLite file by default,
PostgreSQL by URL), with history across years, statistics, resubmissions and copied texts.

Interface: `open_engine(db)` (upgraded to the newest schema), `Recorder` to write a batch,
and the queries in `compliance.store.queries`. The names are loaded when first used: a batch
worker builds a report's rows (`compliance.store.rows`, `.digest`) without importing SQLAlchemy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.store.db import ENV, StoreError, default_path, open_engine, resolve_url
    from compliance.store.records import Recorded, Recorder

__all__ = ["ENV", "Recorded", "Recorder", "StoreError", "default_path", "open_engine", "resolve_url"]
_HOME = {"ENV": "db", "StoreError": "db", "default_path": "db", "open_engine": "db", "resolve_url": "db",
         "Recorded": "records", "Recorder": "records"}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{home}"), name)
