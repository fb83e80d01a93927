"""Typed values of the router's environment variables.

A bad value is a ValueError whose message starts with the variable's name, so the command
can print it as it is. An unset or empty variable takes the default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def switch(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """``on``/``true`` or ``off``/``false`` (any case)."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("on", "off", "true", "false"):
        raise ValueError(f"{name} must be on or off, got {raw!r}")
    return raw in ("on", "true")


def seconds(
    environ: Mapping[str, str], name: str, default: float, *, zero_allowed: bool = False
) -> float:
    """A finite number of seconds: positive, or zero or more when ``zero_allowed``."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isfinite(value) and (value > 0 or (zero_allowed and value == 0)):
        return value
    wanted = "a number of seconds (0 or more)" if zero_allowed else "a positive number of seconds"
    raise ValueError(f"{name} must be {wanted}, got {raw!r}")
