"""How sessions were received: the feedback service's published reports, kept for ambassadors."""
