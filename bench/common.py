"""What several benchmarks share: pointing arshjul at a store."""

from __future__ import annotations

import os

from models import db
from models.settings import get_settings


def use(url: str) -> None:
    """Make `url` the configured store (settings and engines) and migrate it."""
    os.environ["ARSHJUL_DATABASE_URL"] = url
    get_settings.cache_clear()
    db.reset_engines()
    db.migrate(url)
