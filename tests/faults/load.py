"""Load for fault tests: clients posting one request in a loop, every answer kept.

Threads with blocking httpx clients, so the load runs beside whatever the test does
(kill a process, restart a database) without sharing its event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from tests.faults.processes import BOUND


@dataclass(frozen=True)
class Answer:
    """One request's outcome: the status and JSON body, or the transport error."""

    status: int | None
    body: Any
    failure: str | None = None

    @property
    def codes(self) -> list[str]:
        """The ``extensions.code`` of each error in the body."""
        if not isinstance(self.body, dict):
            return []
        return [e.get("extensions", {}).get("code") for e in self.body.get("errors", [])]


class Load:
    """``clients`` threads posting ``payload`` to ``url`` until the block ends."""

    def __init__(
        self,
        url: str,
        payload: Mapping[str, Any],
        *,
        clients: int = 3,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = url
        self.payload = dict(payload)
        self.headers = dict(headers or {})
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._new_answer = threading.Condition()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=BOUND)

    def wait_for(self, count: int) -> None:
        """Return once ``count`` more answers have come in (bounded)."""
        self.wait_until(lambda answers: len(answers) >= count, f"{count} more answers", fresh=True)

    def wait_until(
        self, condition: Callable[[list[Answer]], bool], what: str, *, fresh: bool = False
    ) -> list[Answer]:
        """Return the answers since the call once ``condition`` holds for them (bounded).

        Without ``fresh``, ``condition`` sees every answer so far instead.
        """
        start = len(self.answers) if fresh else 0
        deadline = time.monotonic() + BOUND
        with self._new_answer:
            while not condition(self.answers[start:]):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"the load never saw: {what}")
                self._new_answer.wait(timeout=remaining)
            return self.answers[start:]

    def mark(self) -> int:
        """The number of answers so far, to look at those after it later."""
        return len(self.answers)

    def _run(self) -> None:
        with httpx.Client(timeout=BOUND) as client:
            while not self._stop.is_set():
                try:
                    response = client.post(self.url, json=self.payload, headers=self.headers)
                    try:
                        answer = Answer(response.status_code, response.json())
                    except ValueError:
                        answer = Answer(response.status_code, response.text)
                except httpx.HTTPError as error:
                    answer = Answer(None, None, f"{type(error).__name__}: {error}")
                with self._new_answer:
                    self.answers.append(answer)
                    self._new_answer.notify_all()
