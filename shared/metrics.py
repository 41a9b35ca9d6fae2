"""Prometheus metrics, defined once per process; labels never carry personal data."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "HTTP_REQUESTS",
    "HTTP_LATENCY",
    "EVENTS_PUBLISHED",
    "EVENTS_CONSUMED",
    "EVENTS_DEAD_LETTERED",
    "OUTBOX_PENDING",
]

HTTP_REQUESTS = Counter(
    "brug_http_requests_total", "HTTP requests by route template and status", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "brug_http_request_seconds", "HTTP request latency by route template", ["service", "method", "route"]
)
EVENTS_PUBLISHED = Counter("brug_events_published_total", "Outbox events acknowledged by JetStream", ["service"])
EVENTS_CONSUMED = Counter("brug_events_consumed_total", "Events handled, by outcome", ["service", "type", "outcome"])
EVENTS_DEAD_LETTERED = Counter("brug_events_dead_lettered_total", "Events given up on", ["service"])
OUTBOX_PENDING = Gauge("brug_outbox_pending", "Outbox rows waiting in the last relay batch", ["service"])
