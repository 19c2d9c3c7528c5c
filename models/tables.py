"""Imports every table module so SQLModel.metadata is complete (for migrations and tests)."""

from sqlmodel import SQLModel

from models import campaigns, cycle, org  # noqa: F401
from models import figures  # noqa: F401
from models import incidents  # noqa: F401
from models import ledger  # noqa: F401
from models import responses  # noqa: F401

metadata = SQLModel.metadata
