"""Shared set-up of the incident tests: the example organisation (Alingsås, invented people)."""

from __future__ import annotations

from models import db
from models.org_import import import_org
from models.settings import ROOT

#: roles of the example organisation's central people
COORDINATOR, DPO, IT_SECURITY = "anna-berg", "erik-lind", "maria-holm"


def load_example_org() -> None:
    """Import examples/alingsas.yaml into the configured store."""
    with db.session() as session:
        import_org(ROOT / "examples" / "alingsas.yaml", session=session)
