"""Add deleted_users: the ids of deleted users, whose tokens no longer act for them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from subgraphs.common.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``deleted_users`` (id, when)."""
    op.create_table(
        "deleted_users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop ``deleted_users``."""
    op.drop_table("deleted_users")
