"""sealed questionnaires

Revision ID: feedback_0004
Revises: feedback_0003
Create Date: 2026-11-28 23:00:34.633155
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0004"
down_revision = "feedback_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sealed_questionnaire",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("public_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sealed_questionnaire", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sealed_questionnaire_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "sealed_answer",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("questionnaire_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["sealed_questionnaire.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sealed_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sealed_answer_questionnaire_id"), ["questionnaire_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sealed_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sealed_answer_questionnaire_id"))

    op.drop_table("sealed_answer")
    with op.batch_alter_table("sealed_questionnaire", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sealed_questionnaire_provider_id"))

    op.drop_table("sealed_questionnaire")
