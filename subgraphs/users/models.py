"""The users subgraph's tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from subgraphs.common.types import UTCDateTime, utcnow

ROLES = ("MEMBER", "ADMIN")


class Base(DeclarativeBase):
    """Declarative base of the users database."""


def new_id() -> str:
    """A fresh opaque id."""
    return str(uuid.uuid4())


class UserRow(Base):
    """A person. Emails are stored lower-cased and unique."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16), default="MEMBER")
    # An argon2 hash (PHC string); null for a user who never set a password (createUser).
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Query.users pages by (created_at, id).
    __table_args__ = (
        UniqueConstraint("email", name="uq_users_email"),
        Index("ix_users_created_at_id", "created_at", "id"),
    )


class DeletedUserRow(Base):
    """A deleted user's id: a token still naming it acts for nobody (api/current_caller.py)."""

    __tablename__ = "deleted_users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
