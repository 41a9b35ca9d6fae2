"""deliveries looked up by booking and status

Withdrawing a booking's pending messages (a cancellation, a promotion that
replaces the waitlist text) asks for ``booking_code = ? AND status = 'pending'``.
With only single-column indexes SQLite chose ``ix_delivery_status_due`` and
read every pending delivery for each event, so consuming a burst of bookings
slowed down as the queue grew (bench/fanout.py, py-spy).

Revision ID: notifier_0005
Revises: notifier_0004
Create Date: 2026-11-29 04:30:00
"""

from __future__ import annotations

from alembic import op

revision = "notifier_0005"
down_revision = "notifier_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_delivery_booking_status", "delivery", ["booking_code", "status"])


def downgrade() -> None:
    op.drop_index("ix_delivery_booking_status", table_name="delivery")
