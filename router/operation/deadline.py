"""First-time parse, validate and plan, off the event loop and stopped at a deadline.

A document seen for the first time costs CPU that grows with its shape (validation
compares fields pairwise, planning walks paths), and on the event loop that CPU would
hold every other request. Here it runs in one worker thread: the loop keeps answering
other clients between the worker's turns on the GIL (every 5 ms by default), and when
the work has run ``seconds`` it is interrupted: an exception is raised in the worker
thread (``PyThreadState_SetAsyncExc``, which takes effect at the next bytecode; parsing,
validation and planning are pure Python) and the request is refused with
MAX_PREPARE_TIME_EXCEEDED.

Jobs wait their turn for the one worker (the machine's other core serves the loop); a
job still waiting after ``seconds`` is dropped without running, with the same code but
a verdict that is not cached (the document itself was never measured).
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final, Literal, TypeVar

from router.operation.limits import LimitExceeded

MAX_PREPARE_TIME_EXCEEDED: Final = "MAX_PREPARE_TIME_EXCEEDED"
RETRY_SECONDS: Final = 0.05

T = TypeVar("T")
State = Literal["waiting", "running", "done", "dropped"]


class PrepareTimeout(LimitExceeded):
    """The work passed its deadline; ``ran`` tells whether it had started (cacheable)."""

    def __init__(self, seconds: float, *, ran: bool) -> None:
        what = "took" if ran else "waited"
        super().__init__(
            MAX_PREPARE_TIME_EXCEEDED,
            f"Operation preparation {what} more than the limit of {seconds:g} s.",
        )
        self.ran = ran


class _Interrupted(BaseException):
    """Raised in the worker thread at the deadline (a BaseException: no rule catches it)."""


class _Job:
    """One piece of work and where it stands, guarded by the worker's lock."""

    def __init__(self) -> None:
        self.state: State = "waiting"
        self.thread = 0


class PrepareWorker:
    """Runs CPU-heavy first-time work in one thread, each job within ``seconds``."""

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("the prepare deadline must be more than 0 seconds")
        self.seconds = seconds
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fedtasks-prepare")
        self._lock = threading.Lock()

    async def run(self, work: Callable[[], T]) -> T:
        """``work()``'s result, or PrepareTimeout once it has run (or waited) too long."""
        loop = asyncio.get_running_loop()
        job = _Job()
        context = contextvars.copy_context()

        def expire() -> None:
            with self._lock:
                if job.state != "running":
                    return
                _interrupt(job.thread)
            # An exception raised in code the thread runs on the side (a finaliser, a
            # weakref callback) is swallowed there: interrupt again until the job ends.
            loop.call_later(RETRY_SECONDS, expire)

        def arm() -> None:
            loop.call_later(self.seconds, expire)

        def in_worker() -> T:
            with self._lock:
                if job.state == "dropped":
                    raise PrepareTimeout(self.seconds, ran=False)
                job.state = "running"
                job.thread = threading.get_ident()
            loop.call_soon_threadsafe(arm)
            try:
                try:
                    return context.run(work)
                finally:
                    with self._lock:
                        job.state = "done"
            except _Interrupted:
                raise PrepareTimeout(self.seconds, ran=True) from None

        future = loop.run_in_executor(self._pool, in_worker)
        done, _ = await asyncio.wait({future}, timeout=self.seconds)
        if not done:
            with self._lock:
                dropped = job.state == "waiting"
                if dropped:
                    job.state = "dropped"
            if dropped:
                # The worker skips it when its turn comes; nobody reads that refusal.
                future.add_done_callback(lambda f: f.exception())
                raise PrepareTimeout(self.seconds, ran=False)
        # A running job ends by its own deadline, armed when it started.
        return await future


_workers: dict[float, PrepareWorker] = {}
_workers_lock = threading.Lock()


def shared_worker(seconds: float) -> PrepareWorker:
    """The process's worker for ``seconds``: pipelines rebuilt on reload share its thread."""
    with _workers_lock:
        worker = _workers.get(seconds)
        if worker is None:
            worker = _workers[seconds] = PrepareWorker(seconds)
        return worker


def _interrupt(thread: int) -> None:
    """Raise _Interrupted in ``thread`` at its next bytecode."""
    _quiet_swallowed_interruptions()
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(_Interrupted)
    )


def _quiet_swallowed_interruptions() -> None:
    """Drop reports of an interruption swallowed by a finaliser; pass on any other report.

    Python reports an exception raised in a finaliser or a weakref callback as
    "Exception ignored" (``sys.unraisablehook``); the job is interrupted again
    (``RETRY_SECONDS``), so that report is noise.
    """
    current = sys.unraisablehook
    if getattr(current, "_fedtasks_quiet", False):
        return

    def hook(report: Any) -> None:
        if not isinstance(report.exc_value, _Interrupted):
            current(report)

    hook._fedtasks_quiet = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook
