"""Errors raised while loading a supergraph."""

from __future__ import annotations


class SupergraphError(Exception):
    """The supergraph cannot be loaded or run; the message says why."""
