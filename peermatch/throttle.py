"""Throttling of log-in, sign-up and password-reset attempts, per account and per address.

Counts live in Redis in production, so every worker and every machine shares them; in
development they live in the process. If the store cannot be reached, the guarded forms
fail closed (a calm 503 page) while the rest of the site keeps working.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

LOGIN_FAILURES_PER_ACCOUNT = parse("5/minute")  # tries; a right password clears them
LOGIN_FAILURES_PER_ADDRESS = parse("30/minute")  # failures only: a shared address may be busy
SIGNUPS_PER_ADDRESS = parse("10/hour")
RESETS_PER_ACCOUNT = parse("3/hour")
RESETS_PER_ADDRESS = parse("10/hour")
_EXTENSION = "peermatch.throttle"


class Throttled(Exception):
    """Too many attempts; answered with 429 and how long to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class ThrottleUnavailable(Exception):
    """The attempt counters cannot be reached: the guarded action is refused (503)."""


@dataclass(frozen=True)
class Rule:
    limit: RateLimitItem
    key: str


def account_key(kind: str, email: str) -> str:
    """Counters are keyed by a hash, so the store never holds an e-mail address."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"{kind}:account:{digest}"


def address_key(kind: str, address: str | None) -> str:
    return f"{kind}:address:{address or 'unknown'}"


class Throttle:
    def __init__(self, uri: str, prefix: str = "peermatch") -> None:
        options: dict[str, float | str | bool] = {}
        if uri.startswith(("redis://", "rediss://")):
            options = {"wrap_exceptions": True, "socket_timeout": 1.0,
                       "socket_connect_timeout": 1.0, "key_prefix": prefix}
        storage = storage_from_string(uri, **options)
        if not isinstance(storage, Storage):
            raise ValueError(f"{uri!r} is not a synchronous rate-limit store")
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(self.storage)

    def attempt(self, *rules: Rule) -> None:
        """Count one attempt against every rule, or raise Throttled when a rule has none
        left. Each count is one atomic step in the store, so parallel requests cannot all
        slip under the limit."""
        try:
            for rule in rules:
                if not self.limiter.hit(rule.limit, rule.key):
                    reset = self.limiter.get_window_stats(rule.limit, rule.key).reset_time
                    raise Throttled(max(1, int(reset - time.time())))
        except (StorageError, RedisError) as exc:
            raise self._unavailable(exc) from exc

    def check(self, *rules: Rule) -> None:
        """Raise Throttled if a rule has no attempt left, counting nothing (failure-only
        rules: count with ``hit`` after the failure)."""
        try:
            for rule in rules:
                if not self.limiter.test(rule.limit, rule.key):
                    reset = self.limiter.get_window_stats(rule.limit, rule.key).reset_time
                    raise Throttled(max(1, int(reset - time.time())))
        except (StorageError, RedisError) as exc:
            raise self._unavailable(exc) from exc

    def hit(self, *rules: Rule) -> None:
        try:
            for rule in rules:
                self.limiter.hit(rule.limit, rule.key)
        except (StorageError, RedisError) as exc:
            raise self._unavailable(exc) from exc

    def forgive(self, rule: Rule) -> None:
        """Forget the attempts counted by ``rule`` (an account after a right password)."""
        try:
            self.limiter.clear(rule.limit, rule.key)
        except (StorageError, RedisError) as exc:
            raise self._unavailable(exc) from exc

    def reset(self) -> None:
        self.storage.reset()

    @staticmethod
    def _unavailable(exc: Exception) -> ThrottleUnavailable:
        log.error("throttle store unavailable: %s", type(exc).__name__)
        return ThrottleUnavailable(str(exc))


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = Throttle(
        app.config["THROTTLE_STORAGE_URI"], app.config.get("THROTTLE_KEY_PREFIX", "peermatch")
    )


def current() -> Throttle:
    throttle: Throttle = current_app.extensions[_EXTENSION]
    return throttle


def password_rule(email: str) -> Rule:
    """Password tries for one account: log-in and the settings' "Current password"."""
    return Rule(LOGIN_FAILURES_PER_ACCOUNT, account_key("login", email))
