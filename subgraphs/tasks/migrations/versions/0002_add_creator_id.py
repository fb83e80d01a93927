"""Add tasks.creator_id: who created a task may change and delete it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable ``creator_id`` column: earlier tasks have no known creator."""
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("creator_id", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop ``creator_id``."""
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("creator_id")
