"""Password rules: long enough, not among the most common, not one's own name or address.

No composition rules: a long phrase is the best password a person can remember.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

MIN_LENGTH = 10
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    text = files("peermatch").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Why this password is refused, in words for the member, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return (
            f"Use at least {MIN_LENGTH} characters. A short sentence you can remember works well."
        )
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) < 3:
        return "That password is among the most common ones and easy to guess. Choose another."
    own = {email.strip().lower(), email.strip().lower().split("@")[0], display_name.strip().lower()}
    if folded in own - {""}:
        return "Your password can't be your e-mail address or display name."
    return None
