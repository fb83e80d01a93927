"""Merge-time rules on interfaces: entity interfaces and @interfaceObject implementations.

An interface with a resolvable @key in a subgraph must have every supergraph implementation
there; a subgraph declaring the interface as an @interfaceObject must define none of them
(FED composition-js/src/merging/merge.ts validateInterfaceKeys, validateInterfaceObjects), and
an @interfaceObject needs the interface defined in some subgraph (addTypesShallow).
"""

from __future__ import annotations

from router.composition.errors import CompositionError
from router.composition.model import Subgraph, TypeDef
from router.composition.supergraph_model import MergedType
from router.composition.wording import human_readable_list, subgraph_names


def check_interface_implementations(
    types: dict[str, MergedType], subgraphs: list[Subgraph]
) -> list[CompositionError]:
    """INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE and INTERFACE_OBJECT_USAGE_ERROR errors."""
    errors: list[CompositionError] = []
    for merged in types.values():
        if merged.kind != "interface":
            continue
        having = [s for s in subgraphs if merged.name in s.types]
        if all(s.types[merged.name].has("interfaceObject") for s in having):
            errors.append(
                CompositionError(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'Type "{merged.name}" is declared with @interfaceObject in all the subgraphs '
                    f"in which it is defined (it is defined in "
                    f"{subgraph_names([s.name for s in having])} but should be defined as an "
                    "interface in at least one subgraph)",
                )
            )
        implementations = [
            t.name for t in types.values() if t.kind == "object" and merged.name in t.interfaces
        ]
        for subgraph in subgraphs:
            type_def = subgraph.types.get(merged.name)
            if type_def is None:
                continue
            if type_def.has("interfaceObject"):
                errors += _interface_object(subgraph, merged.name, implementations)
            elif type_def.kind == "interface":
                errors += _interface_key(subgraph, type_def, implementations)
    return errors


def _interface_object(
    subgraph: Subgraph, interface: str, implementations: list[str]
) -> list[CompositionError]:
    defined = [f'"{t}"' for t in implementations if t in subgraph.types]
    if not defined:
        return []
    message = (
        f'[{subgraph.name}] Interface type "{interface}" is defined as an @interfaceObject in '
        f'subgraph "{subgraph.name}" so that subgraph should not define any of the '
        f'implementation types of "{interface}", but it defines '
        + human_readable_list(defined, "type", "types")
    )
    return [CompositionError("INTERFACE_OBJECT_USAGE_ERROR", message)]


def _interface_key(
    subgraph: Subgraph, interface: TypeDef, implementations: list[str]
) -> list[CompositionError]:
    key = next(
        (k for k in interface.applied("key") if k.args.get("resolvable", True) is not False),
        None,
    )
    if key is None:
        return []
    here = [t.name for t in subgraph.types.values() if interface.name in t.interfaces]
    missing = [f'"{t}"' for t in implementations if t not in here]
    if len(here) >= len(implementations) or not missing:
        return []
    pronoun = "them" if len(missing) > 1 else "it"
    message = (
        f'[{subgraph.name}] Interface type "{interface.name}" has a resolvable key '
        f'(@key{key.printed_args()}) in subgraph "{subgraph.name}" but that subgraph is missing '
        f'some of the supergraph implementation types of "{interface.name}". Subgraph '
        f'"{subgraph.name}" should define {human_readable_list(missing, "type", "types")} (and '
        f'have {pronoun} implement "{interface.name}").'
    )
    return [CompositionError("INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE", message)]
