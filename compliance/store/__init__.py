"""The inspector's records: every checked report kept in a database (SQLite file by default,
PostgreSQL by URL), with history across years, statistics, resubmissions and copied texts.

Interface: `open_engine(db)` (upgraded to the newest schema), `Recorder` to write a batch,
and the queries in `compliance.store.queries`."""

from compliance.store.db import ENV, StoreError, default_path, open_engine, resolve_url
from compliance.store.records import Recorded, Recorder

__all__ = ["ENV", "Recorded", "Recorder", "StoreError", "default_path", "open_engine", "resolve_url"]
