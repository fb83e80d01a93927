"""Alembic environment of the tasks database."""

from subgraphs.common.migrations import run_env
from subgraphs.tasks.models import Base

run_env(Base.metadata)
