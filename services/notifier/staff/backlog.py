"""The Messages page's backlog: per gateway, how many texts wait, are retried, are unconfirmed or failed.

Failed messages alone are not enough: a gateway that answers nothing leaves its texts pending and
retried, or unconfirmed, and none "failed" while nobody gets anything. So every delivery not known to
have arrived is counted here, by the gateway last tried (none yet for one still to be tried), with
when the oldest still to send was planned. Counts and times only: no number, code or text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from notifier.deliveries.models import DeliveryStatus

__all__ = ["BUCKETS", "GatewayBacklog", "bucket_of", "by_gateway"]

#: the page's columns, in order: each a bucket of deliveries by where they stand.
BUCKETS = ("scheduled", "waiting", "retrying", "unconfirmed", "failed")


def bucket_of(status: str, tried: bool, due: bool) -> str | None:
    """Which column a delivery counts in; None for one that arrived (or was never to be sent)."""
    if status == DeliveryStatus.PENDING:
        return "retrying" if tried else "waiting" if due else "scheduled"
    if status == DeliveryStatus.SENDING:
        return "waiting"
    if status == DeliveryStatus.UNCONFIRMED:
        return "unconfirmed"
    if status in (DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED):
        return "failed"
    return None


@dataclass
class GatewayBacklog:
    """One gateway's counts (``gateway`` is "" for messages no gateway has been tried for yet)."""

    gateway: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    #: when the oldest message still to send (waiting or retrying) was planned, if any
    oldest_waiting: datetime | None = None

    @property
    def stuck(self) -> int:
        """Messages due and not out: waiting, retrying or unconfirmed."""
        return self.counts["waiting"] + self.counts["retrying"] + self.counts["unconfirmed"]


def by_gateway(rows: Iterable[tuple[str, str, bool, bool, int, datetime]]) -> list[GatewayBacklog]:
    """The repository's rows (deliveries.repository.unsettled_by_gateway) folded per gateway, by name,
    the messages not tried yet last."""
    found: dict[str, GatewayBacklog] = {}
    for gateway, status, tried, due, count, oldest in rows:
        bucket = bucket_of(status, tried, due)
        if bucket is None:
            continue
        backlog = found.setdefault(gateway, GatewayBacklog(gateway))
        backlog.counts[bucket] += count
        if bucket in ("waiting", "retrying") and (backlog.oldest_waiting is None or oldest < backlog.oldest_waiting):
            backlog.oldest_waiting = oldest
    return sorted(found.values(), key=lambda b: (b.gateway == "", b.gateway))
