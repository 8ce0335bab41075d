"""Alembic environment: the store always passes its own connection (see compliance.store.db);
nothing here reads alembic.ini or the environment."""

from alembic import context

from compliance.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
