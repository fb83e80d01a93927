"""Alembic migrations of the users database."""
