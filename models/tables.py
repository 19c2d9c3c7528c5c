"""Imports every table module so SQLModel.metadata is complete (for migrations and tests)."""

from sqlmodel import SQLModel

from models import (  # noqa: F401
    campaigns,
    cycle,
    figures,
    incidents,
    ledger,
    org,
    responses,
)

metadata = SQLModel.metadata
