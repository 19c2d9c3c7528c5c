"""Developer helper: write a new migration by comparing the tables with a fresh store.

Usage: python -m models.migrations.revise "message" REV_ID [--head REV]
"""

from __future__ import annotations

import sys
import tempfile

from alembic import command
from alembic.config import Config

from models.db import MIGRATIONS


def main() -> None:
    message, rev_id = sys.argv[1], sys.argv[2]
    head = sys.argv[sys.argv.index("--head") + 1] if "--head" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["url"] = f"sqlite:///{tmp}/rev.db"
        command.upgrade(cfg, head or "heads")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id, head=head or "head")


if __name__ == "__main__":
    main()
