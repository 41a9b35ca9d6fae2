"""contact key per recipient, purged sessions

``recipient.contact_key`` names the key a stored contact is sealed to (NULL for
rows stored before: ``python -m notifier rotate-key`` fills it in);
``notifier_session.purged_at`` marks a session whose attendees' details the
retention worker deleted.

Revision ID: notifier_0004
Revises: notifier_0003
Create Date: 2026-11-29 01:00:09.251286
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "notifier_0004"
down_revision = "notifier_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_key", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.drop_column("contact_key")

    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
