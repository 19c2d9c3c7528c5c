"""Imports every table module so SQLModel.metadata is complete (for migrations and tests)."""

from sqlmodel import SQLModel

from models import org  # noqa: F401
from models.campaigns import tables as campaign_tables  # noqa: F401
from models.coordinator import tables as coordinator_tables  # noqa: F401
from models.cycle import responses  # noqa: F401
from models.cycle import tables as cycle_tables  # noqa: F401
from models.incidents import register  # noqa: F401
from models.notify import ledger  # noqa: F401
from models.report import figures  # noqa: F401

metadata = SQLModel.metadata
