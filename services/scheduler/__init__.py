"""The scheduler: venues, confidential sessions, bookings, check-in."""
