"""reminders, session revisions, waitlist, feedback link

Revision ID: notifier_0003
Revises: notifier_0002
Create Date: 2026-11-28 22:55:36.502890
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0003"
down_revision = "notifier_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default=sa.text("'published'"), nullable=False)
        )
        batch_op.add_column(sa.Column("feedback_link", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("attended_codes", sa.JSON(), nullable=True))

    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default=sa.text("'confirmed'"), nullable=False)
        )
        batch_op.add_column(sa.Column("waitlist_position", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.drop_column("waitlist_position")
        batch_op.drop_column("status")

    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.drop_column("attended_codes")
        batch_op.drop_column("feedback_link")
        batch_op.drop_column("status")
        batch_op.drop_column("sequence")
        batch_op.drop_column("revision")

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_session_id"))
