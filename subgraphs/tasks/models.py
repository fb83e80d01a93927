"""The tasks subgraph's tables.

A task keeps its assignee's id only: users live in another service's database, so there
is no foreign key, and a deleted user leaves the id behind (it resolves to null).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, Index, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from subgraphs.common.types import UTCDateTime, utcnow

STATUSES = ("TODO", "IN_PROGRESS", "DONE")
# Priorities are stored as ranks so that ordering by priority can use an index.
PRIORITY_RANKS = {"LOW": 1, "MEDIUM": 2, "HIGH": 3}
PRIORITY_NAMES = {rank: name for name, rank in PRIORITY_RANKS.items()}


class Base(DeclarativeBase):
    """Declarative base of the tasks database."""


def new_id() -> str:
    """A fresh opaque id."""
    return str(uuid.uuid4())


class TaskRow(Base):
    """A task."""

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="TODO")
    priority: Mapped[int] = mapped_column(SmallInteger, default=PRIORITY_RANKS["MEDIUM"])
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    assignee_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # Who created it (the caller's user id): they may change and delete it. Null for tasks
    # from before authentication (and seeded ones made by nobody in particular).
    creator_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # One index per lookup and ordering the API offers (see repository.ORDERINGS).
    __table_args__ = (
        Index("ix_tasks_assignee_created", "assignee_id", "created_at", "id"),
        Index("ix_tasks_assignee_status", "assignee_id", "status"),
        Index("ix_tasks_status_created", "status", "created_at", "id"),
        Index("ix_tasks_created", "created_at", "id"),
        Index("ix_tasks_updated", "updated_at", "id"),
        Index("ix_tasks_due", "due_date", "id"),
        Index("ix_tasks_priority", "priority", "id"),
    )
