"""forms and responses

Revision ID: feedback_0002
Revises: feedback_0001
Create Date: 2026-11-28 22:25:28.626329
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0002"
down_revision = "feedback_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_response",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("question_set", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_response_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column("link_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("link_answers", sa.Integer(), nullable=False, server_default="0"))
        batch_op.alter_column("completed_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        batch_op.create_index(batch_op.f("ix_feedback_session_link_hash"), ["link_hash"], unique=False)

    with op.batch_alter_table("feedback_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_column("used_at")


def downgrade() -> None:
    with op.batch_alter_table("feedback_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.drop_column("used")

    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_session_link_hash"))
        batch_op.alter_column("completed_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False)
        batch_op.drop_column("link_answers")
        batch_op.drop_column("link_hash")
        batch_op.drop_column("public_title")

    with op.batch_alter_table("feedback_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_response_session_id"))

    op.drop_table("feedback_response")
