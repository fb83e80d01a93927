"""What the router notes about the request it is serving, in a context variable.

The observability middleware opens a :class:`RequestRecord` per HTTP request; the layers
below (the endpoint, the pipeline, the subgraph transport) read it and add to it without
being handed it, the way the request id must reach a log line written anywhere. Outside a
request (a test driving the pipeline directly, a readiness probe) there is no record and
every hook is a no-op.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import TYPE_CHECKING

from router.server.contract import Outcome

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.trace import Span, Tracer

    from router.observability.metrics import RouterMetrics


@dataclass
class RequestRecord:
    """One request as observed: its id, its operation, its outcome and its tracing."""

    request_id: str
    metrics: RouterMetrics | None = None
    # Set only while the request is traced: the tracer makes the stages' spans.
    tracer: Tracer | None = None
    span: Span | None = None
    # The client's W3C trace context (validated): the request span's parent, or passed on
    # to subgraphs as it came when the router does not trace.
    client_context: Context | None = None
    # Set once the operation validated: its name (None when anonymous) and kind.
    validated: bool = False
    operation_name: str | None = None
    operation_kind: str | None = None
    # How the pipeline answered: the worst of its answers, and how many (a batched POST
    # has one per entry).
    outcome: str | None = None
    answers: int = 0


_current: ContextVar[RequestRecord | None] = ContextVar("fedtasks_request", default=None)


def current() -> RequestRecord | None:
    """The record of the request being served, if any."""
    return _current.get()


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    record = _current.get()
    return record.request_id if record is not None else None


def enter(record: RequestRecord) -> Token[RequestRecord | None]:
    """Make ``record`` the current request's; pass the token to :func:`leave`."""
    return _current.set(record)


def leave(token: Token[RequestRecord | None]) -> None:
    """Restore what was current before :func:`enter`."""
    _current.reset(token)


def note_operation(name: str | None, kind: str) -> None:
    """The request's operation validated: note its name and kind (query, mutation)."""
    record = _current.get()
    if record is None:
        return
    record.validated = True
    record.operation_name = name
    record.operation_kind = kind
    if record.span is not None:
        record.span.set_attribute("graphql.operation.type", kind)
        if name is not None:
            record.span.set_attribute("graphql.operation.name", name)


# From the best outcome to the worst.
_OUTCOMES = ("success", "graphql_error", "request_error", "internal_error")


def note_outcome(outcome: Outcome | None) -> None:
    """The pipeline answered ``outcome``, or failed (None): note the outcome's label.

    success, graphql_error (an answer with errors), request_error (refused before
    execution) or internal_error; a batched POST keeps the worst of its entries'.
    """
    record = _current.get()
    if record is None:
        return
    if outcome is None:
        label = "internal_error"
    elif outcome.phase != "execute":
        label = "request_error"
    elif outcome.body.get("errors"):
        label = "graphql_error"
    else:
        label = "success"
    record.answers += 1
    if record.outcome is None or _OUTCOMES.index(label) > _OUTCOMES.index(record.outcome):
        record.outcome = label


def note_plan_cache(cache: str, *, hit: bool) -> None:
    """A plan was looked up in ``cache`` ("process" or "shared") and found or not."""
    record = _current.get()
    if record is not None and record.metrics is not None:
        record.metrics.plan_cache(cache, hit=hit)
