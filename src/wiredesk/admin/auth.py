"""Who may use /admin: scrypt-hashed passwords, sha256-kept API tokens, CSRF.

Nothing here keeps or logs a secret in the clear: a password is only ever hashed, a token is
shown once by the CLI and stored as its sha256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wiredesk.admin import sessions
from wiredesk.exceptions import NotFound
from wiredesk.store.models import AdminUser, ApiToken

# scrypt at n=2**14, r=8: about 16 MiB and tens of milliseconds per guess.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # scrypt cost does not grow with length, but request bodies should stay small


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A self-describing string: scrypt$n=..,r=..,p=..$salt$hash (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, params, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        cost = dict(part.split("=", 1) for part in params.split(","))
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=int(cost["n"]),
            r=int(cost["r"]),
            p=int(cost["p"]),
            dklen=len(expected),
            maxmem=128 * 1024 * 1024,
        )
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(digest, expected)


# Checked against when the username is unknown, so a miss costs as long as a wrong password.
_DECOY = hash_password(secrets.token_urlsafe(16))


def set_user(session: Session, username: str, password: str, now: datetime) -> bool:
    """Create the user, or give an existing one a new password and end their sessions.

    True when the user is new.
    """
    if not username.strip() or len(username) > 100:
        raise ValueError("a username is 1 to 100 characters")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValueError(f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    user = session.scalars(select(AdminUser).where(AdminUser.username == username)).one_or_none()
    if user is None:
        session.add(
            AdminUser(username=username, password_hash=hash_password(password), created_at=now)
        )
        return True
    user.password_hash = hash_password(password)
    # Whoever signed in with the old password (perhaps the reason it changed) is out now.
    sessions.end_for_user(session, user.id)
    return False


def user_named(session: Session, username: str) -> AdminUser:
    user = session.scalars(select(AdminUser).where(AdminUser.username == username)).one_or_none()
    if user is None:
        raise NotFound(f"no admin user named {username!r}")
    return user


def remove_user(session: Session, username: str) -> int:
    """Delete the user and end their sessions; returns how many sessions ended."""
    user = user_named(session, username)
    ended = sessions.end_for_user(session, user.id)
    session.delete(user)
    return ended


def check_password(
    session: Session, username: str, password: str, now: datetime
) -> AdminUser | None:
    user = session.scalars(select(AdminUser).where(AdminUser.username == username)).one_or_none()
    if len(password) > MAX_PASSWORD:
        return None
    if user is None:
        verify_password(password, _DECOY)
        return None
    if not verify_password(password, user.password_hash):
        return None
    user.last_login_at = now
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(session: Session, name: str, now: datetime) -> str:
    """A fresh random token; only its sha256 is stored, so this is the one time it is seen."""
    token = "wdk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=token_hash(token), created_at=now))
    return token


def check_token(session: Session, token: str, now: datetime) -> ApiToken | None:
    if not token or len(token) > 200:
        return None
    wanted = token_hash(token)
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == wanted)).one_or_none()
    # The lookup is by hash, so timing says nothing about the token; compare anyway for form.
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    row.last_used_at = now
    return row


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(expected: object, given: object) -> bool:
    return (
        isinstance(expected, str)
        and isinstance(given, str)
        and bool(expected)
        and hmac.compare_digest(expected.encode(), given.encode())
    )
