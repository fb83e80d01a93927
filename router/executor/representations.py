"""Entity representations: the key and @requires fields of an object, as a Fetch requires."""

from __future__ import annotations

from typing import Any

import orjson

from router.planner.plan import Fetch, RequiredField

_MISSING = object()


def _pick(value: Any, fields: tuple[RequiredField, ...]) -> Any:
    if isinstance(value, list):
        return [_pick(item, fields) for item in value]
    if not isinstance(value, dict):
        return value
    picked: dict[str, Any] = {}
    for field in fields:
        item = value.get(field.response_name, _MISSING)
        if item is _MISSING:
            return _MISSING
        inner = _pick(item, field.selections) if field.selections and item is not None else item
        if inner is _MISSING:
            return _MISSING
        picked[field.name] = inner
    return picked


def representation(fetch: Fetch, entity: dict[str, Any]) -> dict[str, Any] | None:
    """The representation ``fetch`` needs of ``entity``, or None if it cannot be built.

    The fragment whose type condition is the entity's ``__typename`` applies; a required
    value that is missing (an earlier fetch failed) drops the entity rather than sending
    an incomplete representation (FED gateway-js/src/executeQueryPlan.ts).
    """
    typename = entity.get("__typename")
    fragment = next((f for f in fetch.requires if f.type_condition == typename), None)
    if fragment is None:
        return None
    picked = _pick(entity, fragment.selections)
    if picked is _MISSING or not isinstance(picked, dict):
        return None
    for rewrite in fetch.input_rewrites:
        if rewrite.type_condition == typename:
            picked["__typename"] = rewrite.value
    return picked


def dedupe_key(value: dict[str, Any]) -> bytes:
    """A key equal for equal representations."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
