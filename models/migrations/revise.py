"""Developer helper: write a new migration by comparing the tables with a migrated scratch store.

Usage: python -m models.migrations.revise "message" REV_ID [--parent REV]

The new revision follows the current head (or `--parent REV` to branch while several people change
the schema in parallel; a later merge revision joins the branches). `migrate()` upgrades to all heads.
"""

from __future__ import annotations

import sys
import tempfile

from alembic import command
from alembic.config import Config

from models.db import MIGRATIONS


def main() -> None:
    message, rev_id = sys.argv[1], sys.argv[2]
    parent = sys.argv[sys.argv.index("--parent") + 1] if "--parent" in sys.argv else "head"
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["url"] = f"sqlite:///{tmp}/rev.db"
        command.upgrade(cfg, "heads")
        command.revision(
            cfg, message=message, autogenerate=True, rev_id=rev_id, head=parent,
            splice=parent != "head",
        )


if __name__ == "__main__":
    main()
