"""Use cases that change state. They flush; the request (or CLI command) commits."""


class ServiceError(Exception):
    """A refused use case, with a message fit to show the member."""
