"""The records: the action plan (activities per year, adopted versions) and the registers.

Revision ID: 0009
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0010"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "plan_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", S(length=300), nullable=False),
        sa.Column("unit_id", S(length=64), nullable=False),
        sa.Column("responsible", S(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("comment", S(), nullable=False),
        sa.Column("answers_kind", S(length=16), nullable=False),
        sa.Column("answers_ref", S(length=300), nullable=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["carried_from"], ["plan_activity.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "unit_id", "title", name="uq_plan_activity"),
    )
    op.create_index("ix_plan_activity_year", "plan_activity", ["year"])
    op.create_table(
        "plan_adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decision", S(length=100), nullable=False),
        sa.Column("body", S(length=60), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("paragraph", S(length=16), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("adopted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "version", name="uq_plan_adoption"),
    )
    op.create_index("ix_plan_adoption_year", "plan_adoption", ["year"])
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=32), nullable=False),
        sa.Column("scope_kind", S(length=16), nullable=False),
        sa.Column("scope_id", S(length=64), nullable=False),
        sa.Column("key", S(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("source", S(length=16), nullable=False),
        sa.Column("updated_by", S(length=64), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "scope_kind", "scope_id", "key", name="uq_register_entry"),
    )
    op.create_index("ix_register_entry_kind", "register_entry", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_register_entry_kind", table_name="register_entry")
    op.drop_table("register_entry")
    op.drop_index("ix_plan_adoption_year", table_name="plan_adoption")
    op.drop_table("plan_adoption")
    op.drop_index("ix_plan_activity_year", table_name="plan_activity")
    op.drop_table("plan_activity")
