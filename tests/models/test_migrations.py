"""The migrations and the tables agree, on SQLite and PostgreSQL, and end in one head."""

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from models import db
from models.tables import metadata


def test_migrations_end_in_one_head():
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_heads() == ["0010"]


def test_migrated_store_matches_the_tables(store):
    engine = db.get_engine(store)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_init_is_idempotent_and_reports_the_head(store):
    from typer.testing import CliRunner

    from cli.main import app

    first = CliRunner().invoke(app, ["init"])
    second = CliRunner().invoke(app, ["init"])
    assert first.exit_code == second.exit_code == 0
    assert "Lagret är klart (schema 0010)." in second.output
