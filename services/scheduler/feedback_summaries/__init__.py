"""Feedback summaries: the feedback service's published reports on sessions, kept for their staff
(and, pooled over several sessions, for their ambassadors)."""
