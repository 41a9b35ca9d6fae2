"""The feedback service's errors; each renders as {"error": <name>, "detail": <what to do>}.

BrugError
├── NotFound
│   └── FormNotFound        (unknown or mistyped code; also for a guessed one)
├── Conflict
│   ├── AlreadyAnswered     (the card or this browser already answered: said kindly)
│   ├── FormFull            (the session link reached the attendance count)
│   ├── CardsUnavailable    (every card used, or the feedback window closed)
│   └── TooManyCards        (more extra cards than a session may have beyond its attendance)
├── Gone (410)
│   └── FormExpired
└── Invalid
    └── BadAnswer           (a question id or value the form does not have)
"""

from shared.errors import BrugError, Conflict, Invalid, NotFound


class FormNotFound(NotFound):
    pass


class AlreadyAnswered(Conflict):
    pass


class SessionUnknown(NotFound):
    pass


class CommentNotFound(NotFound):
    pass


class QuestionnaireNotFound(NotFound):
    pass


class ReportNotReady(Conflict):
    pass


class FormFull(Conflict):
    pass


class CardsUnavailable(Conflict):
    pass


class TooManyCards(Conflict):
    pass


class FormExpired(BrugError):
    status_code = 410


class BadAnswer(Invalid):
    pass
