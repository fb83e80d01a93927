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


def set_at(data: Any, path: ResponsePath, value: Any) -> None:
    """Replace the value at a concrete response path (no-op if the path is gone)."""
    if not path:
        return
    parent = data
    for step in path[:-1]:
        if isinstance(parent, dict) and isinstance(step, str):
            parent = parent.get(step)
        elif isinstance(parent, list) and isinstance(step, int) and step < len(parent):
            parent = parent[step]
        else:
            return
    last = path[-1]
    in_object = isinstance(parent, dict) and isinstance(last, str)
    in_list = isinstance(parent, list) and isinstance(last, int) and last < len(parent)
    if in_object or in_list:
        parent[last] = value
