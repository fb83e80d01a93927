"""Errors of the planner: a supergraph or operation it cannot plan."""

from __future__ import annotations


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph; the message says why."""
