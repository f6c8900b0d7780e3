"""Settings read from environment variables into one typed object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """Raised when the settings cannot run the app safely."""


def normalise_database_url(url: str) -> str:
    """Accept the plain ``postgresql://`` form and drive it with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str | None = None
    database_url: str | None = None
    mail_backend: str = "console"
    mail_sender: str = "PeerMatch <no-reply@peermatch.local>"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    public_url: str | None = None
    session_idle_minutes: int = 60 * 12
    session_absolute_days: int = 14
    redis_url: str | None = None
    trusted_proxies: int = 0
    log_format: str = "text"
    secure_cookies: bool | None = None  # None: on in production
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            env=env.get("PEERMATCH_ENV", "development"),
            secret_key=env.get("SECRET_KEY") or None,
            database_url=env.get("DATABASE_URL") or None,
            mail_backend=env.get("MAIL_BACKEND", "console"),
            mail_sender=env.get("MAIL_SENDER", cls.mail_sender),
            smtp_host=env.get("SMTP_HOST", "localhost"),
            smtp_port=int(env.get("SMTP_PORT", "25")),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_flag(env, "SMTP_STARTTLS", False),
            public_url=env.get("PUBLIC_URL") or None,
            session_idle_minutes=int(env.get("SESSION_IDLE_MINUTES", str(60 * 12))),
            session_absolute_days=int(env.get("SESSION_ABSOLUTE_DAYS", "14")),
            redis_url=env.get("REDIS_URL") or None,
            trusted_proxies=int(env.get("TRUSTED_PROXIES", "0")),
            secure_cookies=_flag(env, "SECURE_COOKIES", env.get("PEERMATCH_ENV") == "production"),
            log_format=env.get("LOG_FORMAT")
            or ("json" if env.get("PEERMATCH_ENV") == "production" else "text"),
        )

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def cookies_secure(self) -> bool:
        """Cookies only over HTTPS: on in production unless SECURE_COOKIES=0 (plain HTTP on
        loopback, e.g. a load test)."""
        return self.is_production if self.secure_cookies is None else self.secure_cookies

    def _check_production(self) -> None:
        """Fail fast on settings that would quietly weaken a production deployment."""
        if not self.secret_key:
            raise ConfigError("SECRET_KEY must be set when PEERMATCH_ENV=production")
        if not self.redis_url:
            raise ConfigError("REDIS_URL must be set in production: the log-in throttle and "
                              "the job queue are shared through it")
        if not self.public_url:
            raise ConfigError("PUBLIC_URL must be set in production: links in mails are "
                              "built from it, never from a request's Host header")
        if self.mail_backend == "console":
            raise ConfigError("MAIL_BACKEND=console would lose mail in production; use smtp "
                              "(or discard, for load tests only)")

    def flask_config(self, instance_path: str) -> dict[str, Any]:
        """The Flask config mapping these settings describe."""
        if self.is_production:
            self._check_production()
        if self.mail_backend not in {"console", "smtp", "discard"}:
            raise ConfigError(f"unknown MAIL_BACKEND {self.mail_backend!r}")
        if self.env not in {"development", "testing", "production"}:
            raise ConfigError(f"unknown PEERMATCH_ENV {self.env!r}")
        database_url = self.database_url or "sqlite:///" + str(
            Path(instance_path) / "peermatch.sqlite3"
        )
        return {
            "PEERMATCH": self,
            "SECRET_KEY": self.secret_key or _development_secret(instance_path),
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            # In production a database error never logs its parameters (notes, messages).
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                          "hide_parameters": self.is_production},
            "TESTING": self.env == "testing",
            "DEBUG": False,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.cookies_secure,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.cookies_secure,
            "REMEMBER_COOKIE_DURATION": timedelta(days=self.session_absolute_days),
            "PERMANENT_SESSION_LIFETIME": timedelta(days=self.session_absolute_days),
            "SESSION_IDLE": timedelta(minutes=self.session_idle_minutes),
            "SESSION_ABSOLUTE": timedelta(days=self.session_absolute_days),
            "WTF_CSRF_TIME_LIMIT": 60 * 60 * 4,
            "MAX_CONTENT_LENGTH": 256 * 1024,
            "PASSWORD_RESET_MAX_AGE": 60 * 60,
            "PASSWORD_HASH_METHOD": "scrypt",
            # Jobs (mail delivery, index rebuilds): "inline" runs them right after the commit
            # that asked for them; "redis" hands them to the RQ workers (`make worker`).
            "JOB_QUEUE": "redis" if self.redis_url else "inline",
            "REDIS_URL": self.redis_url,
            # Login and sign-up throttling; shared by every worker when it lives in Redis.
            "THROTTLE_STORAGE_URI": self.redis_url or "memory://",
            "MATCHING_INDEX_DIR": str(Path(instance_path) / "matching"),
            "PREFERRED_URL_SCHEME": "https" if self.is_production else "http",
            **asdict(self)["extra"],
        }


def _development_secret(instance_path: str) -> str:
    """Outside production, a key kept in the instance folder (``make run`` creates it)."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    # A per-process key: sessions simply do not outlive the process.
    return os.urandom(32).hex()
