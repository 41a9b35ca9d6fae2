"""The scheduler's staff pages over HTTP (no browser): sign-in, access, the door, planning, venues, hours."""
