"""Composition errors, with Apollo's error codes (FED internals-js/src/error.ts)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompositionError:
    """One reason a set of subgraphs does not compose; ``code`` is Apollo's."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class CompositionFailed(Exception):
    """Raised inside a stage to stop composition with the errors found so far."""

    def __init__(self, errors: list[CompositionError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors
