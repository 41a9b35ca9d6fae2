"""Caps on the texts one phone number gets: per day and per session (issue 16, item 2b)."""
