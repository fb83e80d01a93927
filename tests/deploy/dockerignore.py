"""Docker's .dockerignore rules (moby/patternmatcher), to tell what enters a build context.

Patterns are Go ``filepath.Match`` globs with ``**`` for any number of folders; a pattern
that matches a path or any of its parent folders applies to it; later patterns win, and
``!`` re-includes.
"""

from __future__ import annotations

import re
from pathlib import Path


def _regex(pattern: str) -> re.Pattern[str]:
    parts, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(parts))


class DockerIgnore:
    """The rules of one .dockerignore file."""

    def __init__(self, path: Path) -> None:
        self.rules: list[tuple[bool, re.Pattern[str]]] = []
        for line in path.read_text().splitlines():
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            include = text.startswith("!")
            self.rules.append((include, _regex(text.lstrip("!").strip("/"))))

    def ignores(self, path: str) -> bool:
        """Whether ``path`` (relative to the context, with /) stays out of the context."""
        parts = path.split("/")
        candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        ignored = False
        for include, regex in self.rules:
            if any(regex.fullmatch(candidate) for candidate in candidates):
                ignored = not include
        return ignored
