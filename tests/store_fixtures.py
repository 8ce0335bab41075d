"""Stores to test against: a SQLite file, and a real PostgreSQL server when one is reachable
(`.ci/run` starts Debian's postgresql and sets COMPLIANCE_TEST_PG; each test gets its own
database there, dropped afterwards)."""

from __future__ import annotations

import os
import secrets

import pytest

PG_ENV = "COMPLIANCE_TEST_PG"


def _pg_admin():
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need a server: set {PG_ENV} to a postgresql:// URL (.ci/run starts one)")
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from compliance.store.db import resolve_url

    u = make_url(resolve_url(url))
    eng = create_engine(u, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with eng.connect():
            pass
    except Exception as e:  # noqa: BLE001 — any failure means no server to test against
        pytest.skip(f"PostgreSQL at {u.render_as_string()} is not reachable: {str(e).splitlines()[0]}")
    return eng, u


@pytest.fixture
def pg_url():
    from sqlalchemy import text

    eng, u = _pg_admin()
    name = "ct_" + secrets.token_hex(6)
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield u.set(database=name).render_as_string(hide_password=False)
    finally:
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Each test that takes it runs on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_url")
