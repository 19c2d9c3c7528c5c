"""What several benchmarks share: pointing arshjul at a store."""

from __future__ import annotations

import os
import secrets

from models import db
from models.settings import get_settings


#: Signing links needs a strong key (models/signing_key.py); a bench makes its own.
os.environ.setdefault("ARSHJUL_SECRET_KEY", secrets.token_urlsafe(32))


def use(url: str) -> None:
    """Make `url` the configured store (settings and engines) and migrate it."""
    os.environ["ARSHJUL_DATABASE_URL"] = url
    get_settings.cache_clear()
    db.reset_engines()
    db.migrate(url)
