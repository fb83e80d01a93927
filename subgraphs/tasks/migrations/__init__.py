"""Alembic migrations of the tasks database."""
