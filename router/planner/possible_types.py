"""Which object types a value can be: in the API schema and in one subgraph's own schema.

Type conditions narrow the type along a path; what a subgraph may be sent under a
condition depends on its own view of a union or interface, which can have fewer members
than the supergraph's (a partial union on a shareable path).
"""

from __future__ import annotations

from router.supergraph.model import Supergraph


class PossibleTypes:
    """Possible types of one supergraph, per subgraph, computed once each."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self._in_subgraph: dict[tuple[str, str], set[str]] = {}

    def implements(self, type_name: str, condition: str) -> bool:
        """Whether ``type_name`` is ``condition`` or declares it among its interfaces."""
        parent = self.supergraph.api_schema.get_type(type_name)
        interfaces = getattr(parent, "interfaces", ())
        return type_name == condition or any(i.name == condition for i in interfaces)

    def in_subgraph(self, type_name: str, subgraph: str) -> set[str]:
        """The object types a value of ``type_name`` can be in ``subgraph``'s own schema."""
        cached = self._in_subgraph.get((type_name, subgraph))
        if cached is not None:
            return cached
        info = self.supergraph.types[type_name]
        if info.kind == "union":
            found = set(info.members.get(subgraph, ()))
        elif info.kind == "interface":
            found = {
                name
                for name, other in self.supergraph.types.items()
                if other.kind == "object" and type_name in other.implements.get(subgraph, ())
            }
        else:
            found = {type_name}
        self._in_subgraph[(type_name, subgraph)] = found
        return found
