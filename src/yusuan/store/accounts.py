"""Accounts, sessions and the audit log of the service.

The store keeps what the service decides: password *hashes* (the KDF lives in
``yusuan.service.auth``), hashed session tokens with their CSRF token, and an
append-only audit log of every change (who, what, when).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from yusuan.store.schema import Base

ROLES = ("admin", "editor", "reviewer", "viewer")


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    active: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    username: str
    action: str
    target: str
    detail: dict[str, Any]


class AccountError(ValueError):
    """A request about accounts that cannot be done (e.g. a duplicate username)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.display_name, row.role, row.active)


class Accounts:
    """Users, sessions and audit log on a store's engine."""

    def __init__(self, engine: Any) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    # ------------------------------------------------------------------ users

    def add_user(
        self, username: str, password_hash: str, role: str, display_name: str = ""
    ) -> User:
        if role not in ROLES:
            raise AccountError(f"未知角色 {role}（可选：{', '.join(ROLES)}）")
        if not username or len(username) > 80:
            raise AccountError("用户名须为 1-80 个字符")
        try:
            with self._tx() as s:
                row = UserRow(
                    username=username,
                    display_name=display_name,
                    role=role,
                    password_hash=password_hash,
                    active=True,
                    created_at=_now(),
                )
                s.add(row)
                s.flush()
                return _user(row)
        except IntegrityError as exc:
            raise AccountError(f"用户 {username} 已存在") from exc

    def set_password(self, username: str, password_hash: str) -> bool:
        with self._tx() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username))
            if row is None:
                return False
            row.password_hash = password_hash
            s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
            return True

    def user(self, username: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        with self._tx() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username))
            return None if row is None else (_user(row), row.password_hash)

    def users(self) -> list[User]:
        with self._tx() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.id))]

    def count(self) -> int:
        return len(self.users())

    # --------------------------------------------------------------- sessions

    def open_session(self, user: User, token: str, csrf: str, lifetime: timedelta) -> None:
        now = _now()
        with self._tx() as s:
            s.add(
                SessionRow(
                    token_hash=token_hash(token),
                    user_id=user.id,
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )

    def session_user(self, token: str) -> tuple[User, str] | None:
        """The live session's user and CSRF token, or None (expired ones are removed)."""
        with self._tx() as s:
            row = s.get(SessionRow, token_hash(token))
            if row is None:
                return None
            if _aware(row.expires_at) <= _now():
                s.delete(row)
                return None
            user = s.get(UserRow, row.user_id)
            if user is None or not user.active:
                return None
            return _user(user), row.csrf

    def close_session(self, token: str) -> None:
        with self._tx() as s:
            s.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))

    # ------------------------------------------------------------------ audit

    def audit(self, username: str, action: str, target: str = "", **detail: Any) -> None:
        with self._tx() as s:
            s.add(AuditRow(at=_now(), username=username, action=action, target=target, detail=detail))

    def audit_log(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        with self._tx() as s:
            rows = s.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit).offset(offset))
            return [AuditEntry(_aware(r.at), r.username, r.action, r.target, r.detail) for r in rows]
