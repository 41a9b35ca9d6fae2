"""The notifier: discreet messages to attendees, in their language."""
