"""Use cases that change state. They flush; the request (or CLI command) commits.

Two kinds of refusal: ``ServiceError`` is shown beside the form so the member can put it
right; ``Refusal`` and its kinds answer with a status page (404, 403, 409) instead.
"""


class ServiceError(Exception):
    """A refused use case, with a message fit to show the member."""


class Refusal(Exception):
    """Answered with an error page rather than a message beside a form."""


class NotFound(Refusal):
    """Not there, or not the asker's to see: both answer 404, so nothing leaks."""


class Forbidden(Refusal):
    """Known to the asker, but not allowed to them (403)."""


class Conflict(Refusal):
    """Someone else got there first (409); the message says who and what."""
