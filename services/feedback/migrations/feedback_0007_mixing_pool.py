"""mixing pool, keyed card hashes, short card codes, language groups

- ``feedback_pool``: answers waiting to be mixed, sealed (feedback.forms.mixing).
- ``feedback_session.card_version``: 0 for sessions whose card and link hashes are
  plain SHA-256 (all existing ones); the service re-keys them when it starts (1);
  sessions completed from now on get short typeable codes (2).
- ``feedback_token.sealed_used`` and ``feedback_session.link_sealed``: a card (or the
  session link, up to the attendance) answers the provider's sealed questionnaire once.
- ``feedback_token.link``: personal feedback links (one per attendee, texted) are
  kept like cards; sessions completed before keep their one shared link.
- ``feedback_response.locale`` becomes ``language``, the answer's language group,
  kept only when enough answers share it. Existing answers lose it: it was never
  reported, and per answer it could single someone out.

Revision ID: feedback_0007
Revises: feedback_0006
Create Date: 2026-12-07 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0007"
down_revision = "feedback_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_pool",
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback_pool", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_pool_session_id"), ["session_id"], unique=False)
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("link_sealed", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("feedback_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_used", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("link", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("feedback_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.drop_column("locale")


def downgrade() -> None:
    with op.batch_alter_table("feedback_response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="en")
        )
        batch_op.drop_column("language")
    with op.batch_alter_table("feedback_token", schema=None) as batch_op:
        batch_op.drop_column("link")
        batch_op.drop_column("sealed_used")
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.drop_column("link_sealed")
        batch_op.drop_column("card_version")
    with op.batch_alter_table("feedback_pool", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_pool_session_id"))
    op.drop_table("feedback_pool")
