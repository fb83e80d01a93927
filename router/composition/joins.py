"""The join directive applications a merged element carries, printed as composition does."""

from __future__ import annotations

import json


def _string(value: str) -> str:
    # GraphQL string literals escape like JSON for the characters field sets contain.
    return json.dumps(value, ensure_ascii=False)


def join_type(
    graph: str,
    *,
    key: str | None = None,
    extension: bool = False,
    resolvable: bool | None = None,
    interface_object: bool = False,
) -> str:
    """``@join__type(graph: G, key: "id", extension: true, ...)``.

    ``resolvable`` is printed when the @key writes it, even as ``true`` (as Apollo does).
    """
    args = [f"graph: {graph}"]
    if key is not None:
        args.append(f"key: {_string(key)}")
    if extension:
        args.append("extension: true")
    if resolvable is not None:
        args.append(f"resolvable: {str(resolvable).lower()}")
    if interface_object:
        args.append("isInterfaceObject: true")
    return f"@join__type({', '.join(args)})"


def join_field(
    graph: str | None,
    *,
    requires: str | None = None,
    provides: str | None = None,
    type: str | None = None,
    external: bool = False,
    override: str | None = None,
    used_overridden: bool = False,
    override_label: str | None = None,
    context_arguments: list[tuple[str, str, str, str]] | None = None,
) -> str:
    """``@join__field(graph: G, ...)``, or the bare ``@join__field`` when there is no graph.

    ``context_arguments`` are (context, argument name, type, selection) tuples.
    """
    args = [] if graph is None else [f"graph: {graph}"]
    if requires is not None:
        args.append(f"requires: {_string(requires)}")
    if provides is not None:
        args.append(f"provides: {_string(provides)}")
    if type is not None:
        args.append(f"type: {_string(type)}")
    if external:
        args.append("external: true")
    if override is not None:
        args.append(f"override: {_string(override)}")
    if used_overridden:
        args.append("usedOverridden: true")
    if override_label is not None:
        args.append(f"overrideLabel: {_string(override_label)}")
    if context_arguments:
        items = ", ".join(
            f"{{context: {_string(context)}, name: {_string(name)}, type: {_string(type_)}, "
            f"selection: {_string(selection)}}}"
            for context, name, type_, selection in context_arguments
        )
        args.append(f"contextArguments: [{items}]")
    return f"@join__field({', '.join(args)})" if args else "@join__field"


def join_implements(graph: str, interface: str) -> str:
    """``@join__implements(graph: G, interface: "I")``."""
    return f"@join__implements(graph: {graph}, interface: {_string(interface)})"


def join_union_member(graph: str, member: str) -> str:
    """``@join__unionMember(graph: G, member: "M")``."""
    return f"@join__unionMember(graph: {graph}, member: {_string(member)})"


def join_enum_value(graph: str) -> str:
    """``@join__enumValue(graph: G)``."""
    return f"@join__enumValue(graph: {graph})"


def join_graph(name: str, url: str) -> str:
    """``@join__graph(name: "n", url: "u")``."""
    return f"@join__graph(name: {_string(name)}, url: {_string(url)})"
