"""Find the objects a Flatten path points at, with their concrete response paths."""

from __future__ import annotations

from typing import Any

ResponsePath = tuple[str | int, ...]


def objects_at(data: Any, path: tuple[str, ...]) -> list[tuple[dict[str, Any], ResponsePath]]:
    """Every object at ``path`` (``@`` flat-maps a list); nulls end their branch."""
    found: list[tuple[dict[str, Any], ResponsePath]] = []

    def walk(value: Any, index: int, at: ResponsePath) -> None:
        if value is None:
            return
        if index == len(path):
            if isinstance(value, dict):
                found.append((value, at))
            return
        step = path[index]
        if step == "@":
            if isinstance(value, list):
                for position, item in enumerate(value):
                    walk(item, index + 1, (*at, position))
            return
        if isinstance(value, dict):
            walk(value.get(step), index + 1, (*at, step))

    walk(data, 0, ())
    return found


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge ``source`` into ``target``: objects key by key, lists element by element."""
    for key, value in source.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            deep_merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            for index, item in enumerate(value):
                if isinstance(existing[index], dict) and isinstance(item, dict):
                    deep_merge(existing[index], item)
                else:
                    existing[index] = item
        else:
            target[key] = value
