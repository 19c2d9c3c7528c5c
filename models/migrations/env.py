"""Alembic environment: the URL comes from models.db.migrate(), never from alembic.ini."""

from alembic import context
from sqlalchemy import create_engine

from models.tables import metadata

url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")


def run() -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
