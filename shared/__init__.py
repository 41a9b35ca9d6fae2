"""Code every Brug service imports: settings, database, events, bus, outbox, consumer, logging, web base."""
