"""Alembic environment of one chain context: runs on the connection ``services.chain.schema`` hands over,
whose search_path is the context's schema; the version table lives in that schema too."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None,
                  version_table_schema=context.config.attributes["schema"])
with context.begin_transaction():
    context.run_migrations()
