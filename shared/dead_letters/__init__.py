"""Dead-lettered events, for coordinators: listed with their reason, and replayed once fixed.

Each service keeps its own ``dead_letter`` table (shared.tables, written by
shared.consumer). ``repository`` reads and marks it; ``service`` holds the
rules of a replay, so the scheduler's staff page today and the notifier's and
feedback service's pages later do the same thing.

    BrugError
    ├── DeadLetterNotFound   404  no such letter in this service
    ├── AlreadyReplayed      409  replayed before; nothing happens twice
    ├── NotReplayable        409  no event kept, or nothing here reads it
    └── ReplayFailed         409  the handler failed again; the letter stays
"""
