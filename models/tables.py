"""Imports every table module so SQLModel.metadata is complete (for migrations and tests)."""

from sqlmodel import SQLModel

from models import (  # noqa: F401
    campaigns,
    cycle,
    figures,  # noqa: F401
    incidents,  # noqa: F401
    ledger,  # noqa: F401
    org,
    responses,  # noqa: F401
)

metadata = SQLModel.metadata
