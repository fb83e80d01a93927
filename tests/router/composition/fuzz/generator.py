"""A seeded generator of federated subgraph sets, for the differential composition fuzzer.

``generate(seed)`` always returns the same subgraph set for the same seed. The sets cover
what federated schemas written by others use (issue 14): types split across 2-4 subgraphs;
entities with single, compound, nested and non-resolvable keys; ``@shareable``,
``@external``, ``@extends``, ``@provides``, ``@requires`` (with fragments and arguments),
``@override`` with and without labels, ``@interfaceObject``, interfaces and unions whose members
differ per subgraph, enums used as input, output or both, ``@inaccessible`` where it is allowed,
and Federation 1 subgraphs. Most sets are valid; the probabilities keep a share of invalid ones
so that both composers' refusals are compared too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SUBGRAPH_NAMES = ("accounts", "products", "reviews", "inventory")
ENTITY_NAMES = ("User", "Product", "Order")
DATA_FIELDS = ("name", "price", "rating", "title", "weight", "email")
FED1_DIRECTIVES = {"key", "external", "requires", "provides", "extends"}


@dataclass
class FieldSpec:
    """A field as one subgraph declares it: its type, arguments and directive applications."""

    type: str
    args: str = ""
    directives: list[str] = field(default_factory=list)


@dataclass
class TypeSpec:
    """A type as one subgraph declares it."""

    kind: str  # "type", "interface", "union", "enum"
    directives: list[str] = field(default_factory=list)
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    implements: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    extension: bool = False


@dataclass
class SubgraphSpec:
    """One generated subgraph."""

    name: str
    fed1: bool
    version: tuple[int, int] = (2, 3)
    types: dict[str, TypeSpec] = field(default_factory=dict)

    def type(self, name: str, kind: str = "type") -> TypeSpec:
        """The type ``name``, created empty on first use."""
        return self.types.setdefault(name, TypeSpec(kind))

    def need(self, minor: int) -> None:
        """Raise the federation version to at least 2.``minor``."""
        self.version = max(self.version, (2, minor))


def _directive_name(applied: str) -> str:
    return applied[1:].split("(")[0]


def _keep(spec: SubgraphSpec, directives: list[str]) -> list[str]:
    if not spec.fed1:
        return directives
    return [d for d in directives if _directive_name(d) in FED1_DIRECTIVES]


def render(spec: SubgraphSpec) -> str:
    """The SDL of a generated subgraph."""
    lines: list[str] = []
    used: set[str] = set()
    for type_spec in spec.types.values():
        for applied in [
            *type_spec.directives,
            *(d for f in type_spec.fields.values() for d in f.directives),
        ]:
            used.add(_directive_name(applied))
    if not spec.fed1:
        imports = ", ".join(f'"@{name}"' for name in sorted(used))
        url = f"https://specs.apollo.dev/federation/v{spec.version[0]}.{spec.version[1]}"
        lines += ["extend schema", f'  @link(url: "{url}", import: [{imports}])', ""]
    for name, type_spec in spec.types.items():
        directives = "".join(f" {d}" for d in _keep(spec, type_spec.directives))
        prefix = "extend " if type_spec.extension and spec.fed1 else ""
        if type_spec.kind == "union":
            lines += [f"union {name}{directives} = {' | '.join(type_spec.members)}", ""]
            continue
        if type_spec.kind == "enum":
            lines.append(f"enum {name}{directives} {{")
            lines += [
                f"  {value}{''.join(' ' + d for d in _keep(spec, f.directives))}"
                for value, f in type_spec.fields.items()
            ]
            lines += ["}", ""]
            continue
        implements = (
            f" implements {' & '.join(type_spec.implements)}" if type_spec.implements else ""
        )
        lines.append(f"{prefix}{type_spec.kind} {name}{implements}{directives} {{")
        for field_name, field_spec in type_spec.fields.items():
            field_directives = "".join(f" {d}" for d in _keep(spec, field_spec.directives))
            lines.append(f"  {field_name}{field_spec.args}: {field_spec.type}{field_directives}")
        lines += ["}", ""]
    return "\n".join(lines)


@dataclass
class _Entity:
    name: str
    key: str
    key_fields: dict[str, str]
    subgraphs: list[str]
    owner_of: dict[str, str] = field(default_factory=dict)  # data field -> owning subgraph


class _Builder:
    """One generation: decisions drawn from ``rng`` in a fixed order."""

    def __init__(self, rng: random.Random, extra: random.Random) -> None:
        self.rng = rng
        # Draws for features added after the first fixtures were written: kept apart so that
        # the decisions `rng` makes for a seed stay what they were.
        self.extra = extra
        count = rng.choice((2, 2, 3, 3, 4))
        self.specs = {
            name: SubgraphSpec(name, fed1=rng.random() < 0.08) for name in SUBGRAPH_NAMES[:count]
        }
        self.names = list(self.specs)
        self.entities: list[_Entity] = []

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def fed2(self, name: str) -> bool:
        return not self.specs[name].fed1

    def shareable(self, name: str) -> list[str]:
        return ["@shareable"] if self.fed2(name) else []

    def build(self) -> dict[str, SubgraphSpec]:
        for entity_name in ENTITY_NAMES[: self.rng.randint(1, 3)]:
            self.entity(entity_name)
        if self.chance(0.35):
            self.interface()
        if self.chance(0.3):
            self.union()
        if self.chance(0.3):
            self.value_type()
        if self.chance(0.5):
            self.enum()
        self.roots()
        return self.specs

    # --- entities -------------------------------------------------------------------------

    def entity(self, name: str) -> None:
        rng = self.rng
        style = rng.choice(("single", "single", "compound", "nested"))
        if style == "single":
            key, key_fields = "id", {"id": "ID!"}
        elif style == "compound":
            key, key_fields = "id sku", {"id": "ID!", "sku": "String!"}
        else:
            key, key_fields = "id org { id }", {"id": "ID!", "org": "Org!"}
        subgraphs = rng.sample(self.names, rng.randint(min(2, len(self.names)), len(self.names)))
        entity = _Entity(name, key, key_fields, subgraphs)
        self.entities.append(entity)
        owner = subgraphs[0]
        for index, sub in enumerate(subgraphs):
            spec = self.specs[sub]
            type_spec = spec.type(name)
            resolvable = index == 0 or not self.chance(0.15)
            key_args = f'fields: "{key}"' + ("" if resolvable else ", resolvable: false")
            if resolvable and self.extra.random() < 0.1:
                key_args += ", resolvable: true"
            type_spec.directives.append(f"@key({key_args})")
            extends = index > 0 and (spec.fed1 or self.chance(0.15))
            if extends and not spec.fed1:
                type_spec.directives.insert(0, "@extends")
            type_spec.extension = extends
            for key_field, key_type in key_fields.items():
                directives = ["@external"] if extends and (spec.fed1 or self.chance(0.7)) else []
                type_spec.fields[key_field] = FieldSpec(key_type, directives=directives)
            if style == "nested":
                org = spec.type("Org")
                org.directives = self.shareable(sub)
                org.fields["id"] = FieldSpec("ID!")
        for data_field in rng.sample(DATA_FIELDS, rng.randint(1, 3)):
            holders = [owner] if not self.chance(0.3) else rng.sample(subgraphs, 1)
            if self.chance(0.15) and len(subgraphs) > 1:
                holders = rng.sample(subgraphs, 2)
            field_type = rng.choice(("String", "Int", "Float!"))
            for holder in holders:
                directives = self.shareable(holder) if len(holders) > 1 else []
                if self.chance(0.06) and self.fed2(holder):
                    directives.append("@inaccessible")
                # Now and then the subgraphs disagree on the type (FIELD_TYPE_MISMATCH).
                if self.chance(0.08):
                    field_type = rng.choice(("String", "Int", "Float!"))
                self.specs[holder].type(name).fields[data_field] = FieldSpec(
                    field_type, directives=directives
                )
            entity.owner_of[data_field] = holders[0]
        others = [s for s in subgraphs if s != owner]
        if others and self.chance(0.35):
            self.requires(entity, rng.choice(others))
        if others and self.chance(0.25):
            self.override(entity)

    def requires(self, entity: _Entity, sub: str) -> None:
        candidates = [f for f, o in entity.owner_of.items() if o != sub]
        type_spec = self.specs[sub].type(entity.name)
        if not candidates:
            return
        needed = self.rng.choice(candidates)
        owner_type = self.specs[entity.owner_of[needed]].types[entity.name]
        type_spec.fields.setdefault(
            needed, FieldSpec(owner_type.fields[needed].type, directives=["@external"])
        )
        args = "(unit: String)" if self.chance(0.2) else ""
        fields = needed
        if self.extra.random() < 0.25:
            fields = f"... on {entity.name} {{ {needed} }}"
        type_spec.fields[f"{needed}Label"] = FieldSpec(
            "String", args=args, directives=[f'@requires(fields: "{fields}")']
        )

    def override(self, entity: _Entity) -> None:
        moved = self.rng.choice(list(entity.owner_of))
        source = entity.owner_of[moved]
        targets = [s for s in entity.subgraphs if s != source and self.fed2(s)]
        if not targets:
            return
        target = self.rng.choice(targets)
        spec = self.specs[target]
        source_type = self.specs[source].types[entity.name]
        from_name = "legacy" if self.chance(0.1) else source
        override = f'@override(from: "{from_name}")'
        if self.chance(0.35):
            override = (
                f'@override(from: "{from_name}", label: "percent({self.rng.choice((10, 50))})")'
            )
            spec.need(7)
        existing = spec.type(entity.name).fields.get(moved)
        directives = [override] + (self.shareable(target) if self.chance(0.2) else [])
        if existing is not None:
            existing.directives = [d for d in existing.directives if d != "@external"]
            existing.directives += directives
        else:
            spec.type(entity.name).fields[moved] = FieldSpec(
                source_type.fields[moved].type, directives=directives
            )
        if self.chance(0.3) and len(entity.subgraphs) > 2:
            third = next(s for s in entity.subgraphs if s not in (source, target))
            third_type = self.specs[third].type(entity.name)
            third_type.fields.setdefault(
                moved, FieldSpec(source_type.fields[moved].type, directives=["@external"])
            )
            third_type.fields[f"{moved}Copy"] = FieldSpec(
                "String", directives=[f'@requires(fields: "{moved}")']
            )

    # --- abstract types ---------------------------------------------------------------------

    def interface(self) -> None:
        entity_interface = self.chance(0.4)
        # An interface @key must be a key of every implementation (mostly kept so).
        implementers = [
            e
            for e in self.entities
            if "id" in e.key_fields and (not entity_interface or e.key == "id" or self.chance(0.1))
        ]
        if not implementers:
            return
        for sub in self.names:
            spec = self.specs[sub]
            mine = [e for e in implementers if sub in e.subgraphs and self.chance(0.8)]
            if not mine:
                continue
            node = spec.type("Node", "interface")
            node.fields["id"] = FieldSpec("ID!")
            if entity_interface and self.fed2(sub):
                node.directives = ['@key(fields: "id")']
                spec.need(3)
            for entity in mine:
                spec.types[entity.name].implements.append("Node")
            if not spec.types.get("Query"):
                spec.type("Query").fields["node"] = FieldSpec(
                    "Node", args="(id: ID!)", directives=self.shareable(sub)
                )
        if entity_interface:
            others = [s for s in self.names if "Node" not in self.specs[s].types and self.fed2(s)]
            if others:
                spec = self.specs[self.rng.choice(others)]
                spec.need(3)
                node = spec.type("Node")
                node.directives = ['@key(fields: "id")', "@interfaceObject"]
                node.fields["id"] = FieldSpec("ID!")
                node.fields["tags"] = FieldSpec("[String!]")

    def union(self) -> None:
        for sub in self.names:
            spec = self.specs[sub]
            members = [e.name for e in self.entities if sub in e.subgraphs and self.chance(0.7)]
            if not members:
                continue
            spec.type("SearchResult", "union").members = members
            spec.type("Query").fields["search"] = FieldSpec(
                "[SearchResult!]!", args="(text: String!)", directives=self.shareable(sub)
            )

    def value_type(self) -> None:
        holders = self.rng.sample(self.names, self.rng.randint(1, len(self.names)))
        for sub in holders:
            spec = self.specs[sub]
            money = spec.type("Money")
            money.directives = self.shareable(sub)
            money.fields["amount"] = FieldSpec("Int!")
            if self.chance(0.5):
                money.fields["currency"] = FieldSpec("String")
            entity = self.rng.choice(self.entities)
            if sub in entity.subgraphs:
                spec.types[entity.name].fields["cost"] = FieldSpec(
                    "Money", directives=self.shareable(sub)
                )
            else:
                spec.type("Query").fields["balance"] = FieldSpec(
                    "Money", directives=self.shareable(sub)
                )

    def enum(self) -> None:
        usage = self.rng.choice(("input", "output", "both"))
        for sub in self.rng.sample(self.names, self.rng.randint(1, len(self.names))):
            spec = self.specs[sub]
            status = spec.type("Status", "enum")
            status.fields = {"ACTIVE": FieldSpec(""), "ARCHIVED": FieldSpec("")}
            if self.chance(0.4):
                directives = ["@inaccessible"] if self.chance(0.6) and self.fed2(sub) else []
                status.fields["DRAFT"] = FieldSpec("", directives=directives)
            query = spec.type("Query")
            if usage in ("input", "both"):
                query.fields["byStatus"] = FieldSpec(
                    "[String!]", args="(status: Status)", directives=self.shareable(sub)
                )
            if usage in ("output", "both"):
                query.fields["currentStatus"] = FieldSpec("Status", directives=self.shareable(sub))

    # --- roots and provides -----------------------------------------------------------------

    def roots(self) -> None:
        for sub in self.names:
            spec = self.specs[sub]
            mine = [e for e in self.entities if sub in e.subgraphs]
            for entity in mine:
                if not self.chance(0.6) and sub != entity.subgraphs[0]:
                    continue
                root_field = FieldSpec(entity.name, args="(id: ID!)")
                provided = [
                    f
                    for f, t in spec.types[entity.name].fields.items()
                    if "@external" in t.directives and f not in entity.key_fields
                ]
                added = False
                if not provided and self.chance(0.2):
                    candidates = [f for f, o in entity.owner_of.items() if o != sub]
                    if candidates:
                        provided = [self.rng.choice(candidates)]
                        owner = self.specs[entity.owner_of[provided[0]]].types[entity.name]
                        spec.types[entity.name].fields.setdefault(
                            provided[0],
                            FieldSpec(owner.fields[provided[0]].type, directives=["@external"]),
                        )
                        added = True
                if provided and (added or self.chance(0.5)):
                    root_field.directives.append(f'@provides(fields: "{provided[0]}")')
                spec.type("Query").fields[f"{entity.name.lower()}From{sub.title()}"] = root_field
            node = spec.types.get("Node")
            if node is not None and node.kind == "interface" and self.chance(0.05):
                spec.type("Query").fields["nodes"] = FieldSpec(
                    "[Node!]!", directives=['@provides(fields: "id")']
                )
        if not any("Query" in s.types for s in self.specs.values()):
            self.specs[self.names[0]].type("Query").fields["ping"] = FieldSpec("String")
        for spec in self.specs.values():
            if "Query" in spec.types:
                spec.types = {"Query": spec.types.pop("Query"), **spec.types}


def generate(seed: int) -> list[tuple[str, str]]:
    """The ``(name, sdl)`` subgraphs of the set numbered ``seed``."""
    specs = _Builder(random.Random(seed), random.Random(f"extra-{seed}")).build()
    return [(name, render(spec)) for name, spec in specs.items()]
