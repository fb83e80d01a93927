"""The router's limits and safety settings, read from the environment by ``fedtasks router``.

The library's own defaults (RouterPipeline, create_router_app) are permissive; these are
the safe ones the command applies. Limits are the same in dev and production mode, so an
operation that works in development works in production; only introspection differs.

| variable                     | default           | meaning                                     |
|------------------------------|-------------------|---------------------------------------------|
| FEDTASKS_MAX_DEPTH           | 15                | nesting of fields (0: no limit)             |
| FEDTASKS_MAX_ALIASES         | 30                | aliased fields                              |
| FEDTASKS_MAX_ROOT_FIELDS     | 20                | fields at the root                          |
| FEDTASKS_MAX_TOKENS          | 5000              | lexical tokens of the document              |
| FEDTASKS_MAX_COST            | 100000            | list-size-aware cost (limits_cost.py)       |
| FEDTASKS_MAX_DOCUMENT_BYTES  | 65536             | bytes of the document, before it is read    |
| FEDTASKS_MAX_SELECTIONS      | 100               | selections in one selection set             |
| FEDTASKS_MAX_FIELDS          | 2000              | fields, fragments inlined at each spread    |
| FEDTASKS_PREPARE_TIMEOUT     | 2                 | seconds to parse, validate and plan a new   |
|                              |                   | document, off the event loop (deadline.py)  |
| FEDTASKS_DEFAULT_LIST_SIZE   | 20                | the cost model's size of an unsized list    |
| FEDTASKS_MAX_BODY_BYTES      | 1048576           | request body (and GET query string) bytes   |
| FEDTASKS_MAX_BATCH           | 10                | operations in one batched POST              |
| FEDTASKS_INTROSPECTION       | off (dev: on)     | ``__schema`` and ``__type``                 |
| FEDTASKS_CORS_ORIGINS        | (none)            | comma-separated origins, or ``*``           |
| FEDTASKS_CSRF                | on                | CSRF prevention                             |
| FEDTASKS_RATE_LIMIT          | 0 (off)           | requests per minute per identity or IP      |
| FEDTASKS_RATE_LIMIT_BURST    | the rate          | requests allowed at once (bucket size)      |

The HTTP edge (header size, header-read and body-read timeouts) is set in
router/server/edge.py: FEDTASKS_MAX_HEADER_BYTES (32768), FEDTASKS_HEADER_TIMEOUT (10 s),
FEDTASKS_BODY_TIMEOUT (30 s).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from router.env_values import seconds, switch
from router.operation.limits import OperationLimits

DEFAULT_MAX_COST = 100_000
"""The cost (about the number of values in the answer) past which an operation is refused.

Measured on this project's own operations: every README example and benchmark query costs
at most 1,701 (Q2: 50 users with 10 tasks each); three nested lists of the default page
size (users, their tasks, each task's assignee's tasks: 20 x 20 x 20) cost 25,661, or
44,165 with ids, counts and page info at each level. The limit leaves that room, twice
over, and refuses the abusive shapes: four nested lists of 20 (514,000 and more), three of
100 (3,040,301) or two of 100 with a dozen fields each. The former default, 10,000,
refused the three nested lists a frontend sends.
"""


@dataclass(frozen=True)
class SafetyConfig:
    """Operation limits, HTTP limits, CORS, CSRF and rate limiting for one router."""

    limits: OperationLimits
    max_body_bytes: int | None
    max_batch: int | None
    cors_origins: tuple[str, ...]
    csrf_prevention: bool
    rate_limit: int
    rate_limit_burst: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, *, dev_mode: bool) -> SafetyConfig:
        """Read the settings; a malformed value raises ValueError naming the variable."""
        rate = _count(environ, "FEDTASKS_RATE_LIMIT", 0)
        burst = _count(environ, "FEDTASKS_RATE_LIMIT_BURST", rate)
        if rate and burst < 1:
            raise ValueError("FEDTASKS_RATE_LIMIT_BURST must be at least 1")
        return cls(
            limits=OperationLimits(
                max_depth=_limit(environ, "FEDTASKS_MAX_DEPTH", 15),
                max_aliases=_limit(environ, "FEDTASKS_MAX_ALIASES", 30),
                max_root_fields=_limit(environ, "FEDTASKS_MAX_ROOT_FIELDS", 20),
                max_tokens=_limit(environ, "FEDTASKS_MAX_TOKENS", 5000),
                max_cost=_limit(environ, "FEDTASKS_MAX_COST", DEFAULT_MAX_COST),
                default_list_size=_count(environ, "FEDTASKS_DEFAULT_LIST_SIZE", 20),
                introspection=switch(environ, "FEDTASKS_INTROSPECTION", dev_mode),
                max_document_bytes=_limit(environ, "FEDTASKS_MAX_DOCUMENT_BYTES", 65_536),
                max_selections=_limit(environ, "FEDTASKS_MAX_SELECTIONS", 100),
                max_fields=_limit(environ, "FEDTASKS_MAX_FIELDS", 2000),
                prepare_seconds=seconds(environ, "FEDTASKS_PREPARE_TIMEOUT", 2.0),
            ),
            max_body_bytes=_limit(environ, "FEDTASKS_MAX_BODY_BYTES", 1_048_576),
            max_batch=_limit(environ, "FEDTASKS_MAX_BATCH", 10),
            cors_origins=tuple(
                origin.strip()
                for origin in environ.get("FEDTASKS_CORS_ORIGINS", "").split(",")
                if origin.strip()
            ),
            csrf_prevention=switch(environ, "FEDTASKS_CSRF", True),
            rate_limit=rate,
            rate_limit_burst=burst,
        )


def _count(environ: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 0; the default when unset or empty."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number of 0 or more, got {raw!r}")
    return int(raw)


def _limit(environ: Mapping[str, str], name: str, default: int) -> int | None:
    """A limit: a whole number, 0 meaning no limit (None)."""
    return _count(environ, name, default) or None
