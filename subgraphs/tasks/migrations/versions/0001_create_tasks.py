"""Create the tasks table.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from subgraphs.common.types import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_tasks_assignee_created": ["assignee_id", "created_at", "id"],
    "ix_tasks_assignee_status": ["assignee_id", "status"],
    "ix_tasks_status_created": ["status", "created_at", "id"],
    "ix_tasks_created": ["created_at", "id"],
    "ix_tasks_updated": ["updated_at", "id"],
    "ix_tasks_due": ["due_date", "id"],
    "ix_tasks_priority": ["priority", "id"],
}


def upgrade() -> None:
    """Create ``tasks`` and an index per lookup and ordering."""
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("assignee_id", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "tasks", columns)


def downgrade() -> None:
    """Drop ``tasks``."""
    op.drop_table("tasks")
