"""text caps

The texts counted against each number's caps (notifier.textcaps): the number only as the opt-outs'
keyed hash, the session and when, one row per delivery.

Revision ID: notifier_0008
Revises: notifier_0007
Create Date: 2026-12-07 04:12:36.025111
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "notifier_0008"
down_revision = "notifier_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_text",
        sa.Column("delivery_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("number_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id"),
    )
    with op.batch_alter_table("sms_text", schema=None) as batch_op:
        batch_op.create_index("ix_sms_text_number_sent", ["number_hash", "sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_text_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sms_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_text_session_id"))
        batch_op.drop_index("ix_sms_text_number_sent")

    op.drop_table("sms_text")
