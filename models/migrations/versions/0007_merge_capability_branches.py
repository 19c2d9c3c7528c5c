"""Merge the capability branches (ledger, portal, campaigns, incidents, report) into one head.

They were developed in parallel, each branching off the foundation; from here on migrations form
one line again, so `alembic heads` names a single revision.

Revision ID: 0007
Revises: 0002, 0003, 0004, 0005, 0006
"""

revision = "0007"
down_revision = ("0002", "0003", "0004", "0005", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
