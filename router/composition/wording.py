"""Small helpers shared by the merge stages: listing names and choosing descriptions."""

from __future__ import annotations

from collections import Counter


def quoted_list(names: list[str]) -> str:
    """``"a"``, ``"a" and "b"``, ``"a", "b" and "c"`` as Apollo's messages list names."""
    quoted = [f'"{name}"' for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def choose_description(descriptions: list[str | None]) -> str | None:
    """The description most subgraphs give; on a tie the first (Apollo emits a hint)."""
    given = [d for d in descriptions if d]
    if not given:
        return None
    counts = Counter(given)
    best = max(counts.values())
    return next(d for d in given if counts[d] == best)


def default_text(printed_default: str | None) -> str:
    """``default value 10`` or ``no default value``, as Apollo's messages say it."""
    return "no default value" if printed_default is None else f"default value {printed_default}"


def human_readable_list(names: list[str], prefix: str, prefix_plural: str) -> str:
    """``type "A"`` or ``types "A" and "B"``: Apollo's printHumanReadableList.

    ``names`` are already quoted; past 100 characters the list is cut off with ``, ...``
    (FED internals-js/src/utils.ts).
    """
    if len(names) == 1:
        return f"{prefix} {names[0]}"
    shown, length = 0, 0
    for name in names:
        length += len(name)
        if length > 100:
            break
        shown += 1
    shown = max(1, shown)
    if shown < len(names):
        return f"{prefix_plural} " + ", ".join(names[:shown]) + ", ..."
    return f"{prefix_plural} " + ", ".join(names[:-1]) + " and " + names[-1]


def subgraph_names(names: list[str]) -> str:
    """``subgraph "a"`` or ``subgraphs "a" and "b"``, as Apollo's printSubgraphNames."""
    return human_readable_list([f'"{name}"' for name in names], "subgraph", "subgraphs")


def mismatch_distribution(supergraph_value: str, values: list[tuple[str, str]]) -> str:
    """``type "A" in subgraph "x" but type "B" in subgraphs "y" and "z"``.

    ``values`` are ``(subgraph, printed value)`` in subgraph order; the subgraphs agreeing
    with the supergraph come first, then each other value in order of appearance (FED
    composition-js/src/merging/reporter.ts reportMismatchError).
    """
    groups: dict[str, list[str]] = {}
    for subgraph, value in values:
        groups.setdefault(value, []).append(subgraph)
    parts = [f"{supergraph_value} in {subgraph_names(groups.get(supergraph_value, []))}"]
    parts += [f"{v} in {subgraph_names(n)}" for v, n in groups.items() if v != supergraph_value]
    if len(parts) == 2:
        return parts[0] + " but " + parts[1]
    return parts[0] + " but " + " and ".join(parts[1:])
