"""Sign-up, log-in sessions and password reset."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import mail
from ..extensions import db
from ..models import Profile, User, UserSession
from ..models.types import utcnow
from ..passwords import password_problem
from . import ServiceError

log = logging.getLogger(__name__)

_RESET_SALT = "peermatch.password-reset"
# Checked against when the e-mail is unknown, so both paths cost one hash.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))
# Touch a session's last_seen_at at most this often.
_TOUCH_EVERY = timedelta(minutes=1)


class EmailTaken(ServiceError):
    pass


class WeakPassword(ServiceError):
    pass


class WrongPassword(ServiceError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    """A slow salted hash (scrypt unless the app configures other scrypt parameters)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def register(email: str, display_name: str, password: str) -> User:
    """A new member with an empty profile; the database decides if the e-mail is taken."""
    email = normalise_email(email)
    display_name = " ".join(display_name.split())
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        raise WeakPassword(problem)
    user = User(email=email, display_name=display_name, password_hash=hash_password(password))
    user.profile = Profile()
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise EmailTaken("An account with this e-mail already exists. Try logging in.") from exc
    log.info("signup user_id=%s", user.id)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None; unknown and wrong cost the same."""
    user: User | None = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or user.status == "deleted":
        check_password_hash(_DUMMY_HASH, password)
        log.info("login failed reason=credentials")
        return None
    if not check_password_hash(user.password_hash, password):
        log.info("login failed reason=credentials user_id=%s", user.id)
        return None
    return user


def start_session(user: User) -> str:
    """Record a new signed-in browser and return its secret token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(user=user, token_hash=UserSession.hash_token(token), created_at=now,
                    last_seen_at=now)
    )
    user.last_login_at = now
    user.bind_session(token)
    db.session.flush()
    log.info("login succeeded user_id=%s", user.id)
    return token


def load_session(token: str, idle: timedelta, absolute: timedelta) -> User | None:
    """The user behind a live session token; expired sessions are removed."""
    record = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == UserSession.hash_token(token))
    )
    if record is None:
        return None
    now = utcnow()
    expired = now - record.created_at > absolute or now - record.last_seen_at > idle
    if expired or record.user.status != "active":  # suspended or deleted: signed out
        db.session.delete(record)
        return None
    if now - record.last_seen_at > _TOUCH_EVERY:
        record.last_seen_at = now
    user: User = record.user
    user.bind_session(token)
    return user


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            delete(UserSession).where(UserSession.token_hash == UserSession.hash_token(token))
        )


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes with the password, so a used link stops working; reveals nothing of the hash.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link if the account exists; say nothing either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or user.status != "active":
        return
    token = _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    mail.queue(
        user.email,
        "Reset your PeerMatch password",
        f"Hello {user.display_name},\n\n"
        f"Someone asked to reset the password of your PeerMatch account. To choose a new one, "
        f"open this link within {minutes} minutes:\n\n{link_for(token)}\n\n"
        "If it was not you, you can ignore this message; your password stays as it is.\n",
        user_id=user.id,
    )


def user_for_reset_token(token: str) -> User:
    """The account a valid, unused, unexpired reset link belongs to."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ServiceError("This link has expired. Please ask for a new one.") from exc
    except BadSignature as exc:
        raise ServiceError("This link is not valid. Please ask for a new one.") from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.status != "active" or data.get("p") != _password_fingerprint(user):
        raise ServiceError("This link has already been used. Please ask for a new one.")
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and sign out every browser that was signed in."""
    problem = password_problem(password, email=user.email, display_name=user.display_name)
    if problem:
        raise WeakPassword(problem)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    db.session.flush()
    log.info("password changed user_id=%s", user.id)



def check_current_password(user: User, password: str) -> None:
    """Asked again before changing e-mail or password, or deleting the account."""
    if not check_password_hash(user.password_hash, password or ""):
        log.info("current password refused user_id=%s", user.id)
        raise WrongPassword("That is not your current password.")


def change_email(user: User, new_email: str, current_password: str) -> None:
    check_current_password(user, current_password)
    try:
        with db.session.begin_nested():  # the database decides whether the address is free
            user.email = normalise_email(new_email)
            db.session.flush()
    except IntegrityError as exc:
        raise EmailTaken("Another account already uses this e-mail address.") from exc
    log.info("email changed user_id=%s", user.id)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Every browser is signed out, this one included; the view signs this one in again."""
    check_current_password(user, current_password)
    if check_password_hash(user.password_hash, new_password or ""):
        raise WeakPassword("That is your current password. Please choose a new one.")
    set_password(user, new_password)


def change_display_name(user: User, display_name: str) -> None:
    """The name other members see; the old one is not kept anywhere."""
    user.display_name = " ".join(display_name.split())
    db.session.flush()
    log.info("display name changed user_id=%s", user.id)
