"""Checks of one subgraph before merging (FED internals-js/src/federation.ts).

Each rule adds errors with Apollo's code and a message prefixed by the subgraph's name;
messages follow Apollo's wording so the two composers can be read side by side.
"""

from __future__ import annotations

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode, print_ast

from router.composition.errors import CompositionError
from router.composition.field_sets import FieldSetSyntaxError, parse_field_set
from router.composition.inactive_field_sets import extension_key_fields, external_somewhere
from router.composition.model import DEFAULT_ROOT_NAMES, Applied, FieldDef, Subgraph, TypeDef
from router.composition.type_refs import named
from router.composition.usage import usage_of
from router.composition.wording import human_readable_list

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
COMPOSITE = {"object", "interface", "union"}


class SubgraphChecker:
    """Runs every rule on one subgraph."""

    def __init__(self, subgraph: Subgraph) -> None:
        self.subgraph = subgraph
        self.errors: list[CompositionError] = []
        self._fed1_not_external = frozenset(extension_key_fields(subgraph))

    def error(self, code: str, message: str, *, prefixed: bool = True) -> None:
        """Record an error, prefixed with ``[subgraph]`` as Apollo does for subgraph rules."""
        prefix = f"[{self.subgraph.name}] " if prefixed else ""
        self.errors.append(CompositionError(code, prefix + message))

    def check(self) -> list[CompositionError]:
        """All errors of the subgraph."""
        self._roots()
        self._type_references()
        usage = usage_of(self.subgraph)
        for type_def in self.subgraph.types.values():
            for key in type_def.applied("key"):
                self._key(type_def, key)
            if type_def.kind == "interface":
                self._interface(type_def)
            if type_def.has("interfaceObject") and not type_def.applied("key"):
                self.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    "The @interfaceObject directive can only be applied to entity types but "
                    f'type "{type_def.name}" has no @key in this subgraph.',
                )
            for field_def in type_def.fields.values():
                self._field(type_def, field_def)
                other_directive = field_def.has("provides") or field_def.has("requires")
                if not self.subgraph.is_fed1 and field_def.has("external") and not other_directive:
                    coordinate = (type_def.name, field_def.name)
                    if not usage.uses(coordinate) and not self._satisfies_interface(
                        type_def, field_def
                    ):
                        self.error(
                            "EXTERNAL_UNUSED",
                            f'Field "{type_def.name}.{field_def.name}" is marked @external but is '
                            "not used in any federation directive (@key, @provides, @requires) "
                            "or to satisfy an interface; the field declaration has no use and "
                            "should be removed (or the field should not be @external).",
                        )
        return self.errors

    # -- schema-wide --------------------------------------------------------------------------

    def _roots(self) -> None:
        for operation, name in self.subgraph.roots.items():
            default = DEFAULT_ROOT_NAMES[operation]
            if name != default and default in self.subgraph.types:
                self.error(
                    "ROOT_QUERY_USED"
                    if operation == "query"
                    else "ROOT_MUTATION_USED"
                    if operation == "mutation"
                    else "ROOT_SUBSCRIPTION_USED",
                    f'The schema has a type named "{default}" but it is not set as the '
                    f'{operation} root type ("{name}" is instead): this is not supported by '
                    "federation. If a root type does not use its default name, there should be "
                    "no other type with that default name.",
                )

    def _known(self, name: str) -> bool:
        return name in BUILT_IN_SCALARS or name in self.subgraph.types

    def _type_references(self) -> None:
        unknown: list[str] = []
        for type_def in self.subgraph.types.values():
            references = [named(f.type) for f in type_def.fields.values()]
            references += [named(a.type) for f in type_def.fields.values() for a in f.args.values()]
            references += [named(f.type) for f in type_def.input_fields.values()]
            references += type_def.interfaces + type_def.members
            unknown += [name for name in references if not self._known(name)]
        for name in dict.fromkeys(unknown):
            self.error("INVALID_GRAPHQL", f"Unknown type {name}")

    # -- types --------------------------------------------------------------------------------

    def _interface(self, interface: TypeDef) -> None:
        keys = interface.applied("key")
        implementations = [
            t for t in self.subgraph.types.values() if interface.name in t.interfaces
        ]
        for key in keys:
            fields = str(key.args.get("fields", ""))
            missing: list[str] = []
            unresolvable: list[str] = []
            for implementation in implementations:
                same = [k for k in implementation.applied("key") if k.args.get("fields") == fields]
                if not same:
                    missing.append(f'"{implementation.name}"')
                elif key.args.get("resolvable", True) is not False and any(
                    k.args.get("resolvable") is False for k in same
                ):
                    unresolvable.append(f'"{implementation.name}"')
            start = f'Key @key(fields: "{fields}") on interface type "{interface.name}"'
            if missing:
                self.error(
                    "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
                    f"{start} is missing on implementation "
                    f"{human_readable_list(missing, 'type', 'types')}.",
                )
            elif unresolvable:
                self.error(
                    "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
                    f"{start} should be resolvable on all implementation types, but is declared "
                    'with argument "@key(resolvable:)" set to false in '
                    f"{human_readable_list(unresolvable, 'type', 'types')}.",
                )

    def _satisfies_interface(self, type_def: TypeDef, field_def: FieldDef) -> bool:
        return any(
            field_def.name in self.subgraph.types[i].fields
            for i in type_def.interfaces
            if i in self.subgraph.types
        )

    # -- fields -------------------------------------------------------------------------------

    def _field(self, type_def: TypeDef, field_def: FieldDef) -> None:
        coordinate = f"{type_def.name}.{field_def.name}"
        if type_def.kind == "interface":
            if field_def.has("external"):
                self.error(
                    "EXTERNAL_ON_INTERFACE",
                    f'Interface type field "{coordinate}" is marked @external but @external is '
                    "not allowed on interface fields (it is nonsensical).",
                )
            if field_def.has("shareable"):
                self.error(
                    "INVALID_SHAREABLE_USAGE",
                    f'Invalid use of @shareable on field "{coordinate}": only object type fields '
                    "can be marked with @shareable",
                )
            if field_def.has("override"):
                self.error(
                    "OVERRIDE_ON_INTERFACE",
                    f'@override cannot be used on field "{coordinate}" on subgraph '
                    f'"{self.subgraph.name}": @override is not supported on interface type fields.',
                    prefixed=False,
                )
        if type_def.kind == "object" and len(field_def.applied("shareable")) > 1:
            self.error(
                "INVALID_SHAREABLE_USAGE",
                f'Invalid duplicate application of @shareable on field "{coordinate}": '
                "@shareable is only repeatable on types so it can be used simultaneously on a "
                "type definition and its extensions, but it should not be duplicated on the same "
                "definition/extension declaration",
            )
        if field_def.has("external"):
            for other in ("provides", "requires"):
                if field_def.has(other):
                    self.error(
                        "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
                        f'Cannot have both @{other} and @external on field "{coordinate}"',
                    )
        for requires in field_def.applied("requires"):
            self._requires_or_provides(type_def.name, coordinate, requires, "requires")
        for provides in field_def.applied("provides"):
            target = self.subgraph.types.get(named(field_def.type))
            if target is None or target.kind not in COMPOSITE:
                self.error(
                    "PROVIDES_ON_NON_OBJECT_FIELD",
                    f'Invalid @provides directive on field "{coordinate}": field has type '
                    f'"{print_ast(field_def.type)}" which is not a Composite Type',
                )
                continue
            self._requires_or_provides(target.name, coordinate, provides, "provides")

    def _requires_or_provides(
        self, type_name: str, coordinate: str, applied: Applied, directive: str
    ) -> None:
        fields = str(applied.args.get("fields", ""))
        context = f'On field "{coordinate}", for @{directive}(fields: "{fields}")'
        try:
            selection = parse_field_set(fields)
        except FieldSetSyntaxError as error:
            self.error(f"{directive.upper()}_INVALID_FIELDS", f"{context}: {error}")
            return
        for owner, field_def in self._walk(type_name, selection, context, directive.upper()):
            if field_def.has("external"):
                continue
            # Federation 1's upgrade drops the fields that are not @external; an interface
            # field whose implementations are @external stays and fails here, as in Apollo.
            if self.subgraph.is_fed1 and not external_somewhere(
                self.subgraph, owner, field_def.name, self._fed1_not_external
            ):
                continue
            self.error(
                f"{directive.upper()}_FIELDS_MISSING_EXTERNAL",
                f'{context}: field "{owner}.{field_def.name}" should not be part of a '
                f"@{directive} since it is already provided by this subgraph (it is not marked "
                "@external)",
            )

    def _walk(
        self, type_name: str, selection_set: SelectionSetNode, context: str, prefix: str
    ) -> list[tuple[str, FieldDef]]:
        """The leaf fields a selection reaches (sub-fields of external fields excluded)."""
        leaves: list[tuple[str, FieldDef]] = []
        type_def = self.subgraph.types.get(type_name)
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                target = (
                    selection.type_condition.name.value if selection.type_condition else type_name
                )
                leaves += self._walk(target, selection.selection_set, context, prefix)
                continue
            if not isinstance(selection, FieldNode) or type_def is None:
                continue
            field_def = type_def.fields.get(selection.name.value)
            if field_def is None:
                self.error(
                    f"{prefix}_INVALID_FIELDS",
                    f'{context}: Cannot query field "{selection.name.value}" on type '
                    f'"{type_name}".',
                )
                continue
            if selection.selection_set and not field_def.has("external"):
                leaves += self._walk(
                    named(field_def.type), selection.selection_set, context, prefix
                )
            else:
                leaves.append((type_name, field_def))
        return leaves

    def _key(self, type_def: TypeDef, key: Applied) -> None:
        fields = str(key.args.get("fields", ""))
        context = f'On type "{type_def.name}", for @key(fields: "{fields}")'
        try:
            selection = parse_field_set(fields)
        except FieldSetSyntaxError as error:
            self.error("KEY_INVALID_FIELDS", f"{context}: {error}")
            return
        self._key_selection(type_def.name, selection, context)

    def _key_selection(self, type_name: str, selection_set: SelectionSetNode, context: str) -> None:
        type_def = self.subgraph.types.get(type_name)
        for selection in selection_set.selections:
            if not isinstance(selection, FieldNode) or type_def is None:
                continue
            if selection.directives:
                found = " ".join(print_ast(d) for d in selection.directives)
                self.error(
                    "KEY_DIRECTIVE_IN_FIELDS_ARG",
                    f"{context}: cannot have directive applications in the @key(fields:) "
                    f"argument but found {found}.",
                )
                continue
            field_def = type_def.fields.get(selection.name.value)
            if field_def is None:
                self.error(
                    "KEY_INVALID_FIELDS",
                    f'{context}: Cannot query field "{selection.name.value}" on type '
                    f'"{type_name}" (the field should either be added to this subgraph or, if it '
                    "should not be resolved by this subgraph, you need to add it to this "
                    "subgraph with @external).",
                )
                continue
            coordinate = f"{type_name}.{field_def.name}"
            if field_def.args:
                self.error(
                    "KEY_FIELDS_HAS_ARGS",
                    f"{context}: field {coordinate} cannot be included because it has arguments "
                    "(fields with argument are not allowed in @key)",
                )
            target = self.subgraph.types.get(named(field_def.type))
            if target is not None and target.kind in ("interface", "union"):
                kind = "Interface" if target.kind == "interface" else "Union"
                self.error(
                    "KEY_FIELDS_SELECT_INVALID_TYPE",
                    f'{context}: field "{coordinate}" is a {kind} type which is not allowed in '
                    "@key",
                )
                continue
            if selection.selection_set:
                self._key_selection(named(field_def.type), selection.selection_set, context)


def check_subgraph(subgraph: Subgraph) -> list[CompositionError]:
    """Every error of one subgraph's own rules."""
    return SubgraphChecker(subgraph).check()


def check_extensions(subgraphs: list[Subgraph]) -> list[CompositionError]:
    """EXTENSION_WITH_NO_BASE: a Federation 2 extension of a type nobody defines."""
    defined = {
        name
        for subgraph in subgraphs
        for name, type_def in subgraph.types.items()
        if not (type_def.extension or type_def.has("extends"))
    }
    errors = []
    for subgraph in subgraphs:
        if subgraph.is_fed1:
            continue
        for name, type_def in subgraph.types.items():
            is_extension = type_def.extension or type_def.has("extends")
            if (
                is_extension
                and name not in defined
                and not type_def.applied("key")
                and subgraph.root_of(name) is None
            ):
                errors.append(
                    CompositionError(
                        "EXTENSION_WITH_NO_BASE",
                        f'[{subgraph.name}] Type "{name}" is an extension type, but there is no '
                        f'type definition for "{name}" in any subgraph.',
                    )
                )
    return errors
