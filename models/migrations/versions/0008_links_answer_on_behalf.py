"""A submitted version records whether it was answered on the responsible contact's behalf.

A chef, coordinator or DPO an overdue assignment was escalated to may answer it in the contact's
place (portal, docs/portal.md); the version history says so.

Revision ID: 0008_links
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_links"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("response_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("on_behalf", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("response_version", schema=None) as batch_op:
        batch_op.drop_column("on_behalf")
