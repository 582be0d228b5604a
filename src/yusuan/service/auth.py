"""Passwords, sessions, CSRF tokens and the login rate limit.

Passwords are hashed with Argon2id (argon2-cffi); a session is a random
token whose SHA-256 is stored, carried in an HttpOnly, SameSite=Lax cookie;
each session has its own CSRF token, which every unsafe request must echo
(form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from yusuan.store.accounts import Accounts, User

SESSION_COOKIE = "yusuan_session"
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8

# Which roles may do what.  Admin may do everything.
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "reviewer": frozenset({"read", "judge"}),
    "editor": frozenset({"read", "upload", "edit"}),
    "admin": frozenset({"read", "judge", "upload", "edit", "approve", "admin"}),
}
# Approving budget changes belongs to reviewers too (cycle pages).
PERMISSIONS["reviewer"] = PERMISSIONS["reviewer"] | {"approve"}

_hasher = PasswordHasher()


def set_kdf_cost(time_cost: int, memory_kib: int, parallelism: int = 1) -> None:
    """Change the Argon2id cost of *new* hashes (a stored hash keeps the cost it
    was made with).  For test suites, which hash many throw-away passwords;
    the defaults of argon2-cffi (RFC 9106 low-memory profile) are for real use."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    _DUMMY_HASH = _hasher.hash("not-a-password-" + secrets.token_hex(8))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 个字符 (password must be at least {MIN_PASSWORD} characters)")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def allowed(user: User | None, permission: str) -> bool:
    return user is not None and permission in PERMISSIONS.get(user.role, frozenset())


@dataclass(frozen=True, slots=True)
class Login:
    user: User
    token: str
    csrf: str


def login(accounts: Accounts, username: str, password: str) -> Login | None:
    """Check a password and open a session; None when the pair is wrong."""
    found = accounts.user(username)
    if found is None:
        # spend the same time as a real check so usernames cannot be probed by timing
        verify_password(_DUMMY_HASH, password)
        return None
    user, stored = found
    if not user.active or not verify_password(stored, password):
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    accounts.open_session(user, token, csrf, SESSION_LIFETIME)
    return Login(user, token, csrf)


_DUMMY_HASH = _hasher.hash("not-a-password-" + secrets.token_hex(8))


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and secrets.compare_digest(str(expected), str(given))


class RateLimiter:
    """At most ``limit`` failed attempts per key within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        now = time.monotonic()
        with self._lock:
            q = self._recent(key, now)
            if len(q) < self.limit:
                return 0.0
            return max(0.0, q[0] + self.window - now)

    def fail(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(key, now).append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
