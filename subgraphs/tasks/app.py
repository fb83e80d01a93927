"""The tasks subgraph's ASGI app."""

from __future__ import annotations

from fastapi import FastAPI

from subgraphs.common.app import create_app
from subgraphs.common.settings import TasksSettings
from subgraphs.tasks.api.schema import schema
from subgraphs.tasks.context import TasksContext


def create_tasks_app(settings: TasksSettings | None = None) -> FastAPI:
    """Build the tasks subgraph against the database ``settings`` names."""
    return create_app(
        service="tasks", schema=schema, settings=settings or TasksSettings(), context=TasksContext
    )
