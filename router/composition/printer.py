"""Print a merged supergraph exactly as Apollo's composition prints it.

Layout (checked byte for byte against @apollo/composition's output in the fixture
corpus): the schema definition first, then directive definitions, then types, each group
sorted by name the way JavaScript's ``localeCompare`` sorts; type-level directives one per
line; descriptions as block strings; no newline at the end.
"""

from __future__ import annotations

from graphql import print_ast
from graphql.language.block_string import print_block_string

from router.composition import joins
from router.composition.model import DirectiveDef
from router.composition.supergraph_model import (
    MergedEnumValue,
    MergedField,
    MergedInput,
    MergedSupergraph,
    MergedType,
)
from router.composition.type_refs import render

LINK_SPEC = '@link(url: "https://specs.apollo.dev/link/v1.0")'

_JOIN_FIELD_ARGS = {
    (0, 3): "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, "
    "type: String, external: Boolean, override: String, usedOverridden: Boolean",
    (0, 4): "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, "
    "type: String, external: Boolean, override: String, usedOverridden: Boolean, "
    "overrideLabel: String",
    (0, 5): "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, "
    "type: String, external: Boolean, override: String, usedOverridden: Boolean, "
    "overrideLabel: String, contextArguments: [join__ContextArgument!]",
}

LINK_PURPOSE = '''enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''

CONTEXT_ARGUMENT = """input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}"""


def sort_key(name: str) -> tuple[str, str]:
    """Order names as JavaScript's ``localeCompare`` does for GraphQL names.

    Punctuation (``_``) sorts before digits and letters, letters compare without case,
    and on a tie lower case comes first.
    """
    primary = "".join("\x00" if char == "_" else char.lower() for char in name)
    tertiary = "".join("0" if char.islower() else "1" for char in name)
    return primary, tertiary


def _join_definitions(version: tuple[int, int]) -> dict[str, str]:
    definitions = {
        "join__enumValue": "directive @join__enumValue(graph: join__Graph!) repeatable on "
        "ENUM_VALUE",
        "join__field": f"directive @join__field({_JOIN_FIELD_ARGS[version]}) repeatable on "
        "FIELD_DEFINITION | INPUT_FIELD_DEFINITION",
        "join__graph": "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
        "join__implements": "directive @join__implements(graph: join__Graph!, interface: String!) "
        "repeatable on OBJECT | INTERFACE",
        "join__type": "directive @join__type(graph: join__Graph!, key: join__FieldSet, "
        "extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: "
        "Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
        "join__unionMember": "directive @join__unionMember(graph: join__Graph!, member: String!) "
        "repeatable on UNION",
        "link": "directive @link(url: String, as: String, for: link__Purpose, import: "
        "[link__Import]) repeatable on SCHEMA",
    }
    if version >= (0, 4):
        definitions["join__directive"] = (
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: "
            "join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION"
        )
    return definitions


def _boilerplate_types(supergraph: MergedSupergraph) -> dict[str, str]:
    graphs = "\n".join(
        f"  {g.enum_value} {joins.join_graph(g.name, g.url)}" for g in supergraph.graphs
    )
    types = {
        "join__FieldSet": "scalar join__FieldSet",
        "join__Graph": f"enum join__Graph {{\n{graphs}\n}}",
        "link__Import": "scalar link__Import",
        "link__Purpose": LINK_PURPOSE,
    }
    if supergraph.join_version >= (0, 4):
        types["join__DirectiveArguments"] = "scalar join__DirectiveArguments"
    if supergraph.join_version >= (0, 5):
        types["join__ContextArgument"] = CONTEXT_ARGUMENT
        types["join__FieldValue"] = "scalar join__FieldValue"
    return types


def _description(description: str | None, indent: str, first: bool) -> str:
    if description is None:
        return ""
    block = print_block_string(description)
    prefix = "\n" + indent if indent and not first else indent
    return prefix + block.replace("\n", "\n" + indent) + "\n"


def _inline(directives: list[str]) -> str:
    return "".join(" " + d for d in directives)


def _input_value(value: MergedInput) -> str:
    text = f"{value.name}: {render(value.type)}"
    if value.default is not None:
        text += f" = {print_ast(value.default)}"
    return text + _inline(value.directives)


def _arguments(args: dict[str, MergedInput], indent: str) -> str:
    if not args:
        return ""
    if not any(a.description for a in args.values()):
        return "(" + ", ".join(_input_value(a) for a in args.values()) + ")"
    inner = indent + "  "
    lines = [
        _description(a.description, inner, i == 0) + inner + _input_value(a)
        for i, a in enumerate(args.values())
    ]
    return "(\n" + "\n".join(lines) + "\n" + indent + ")"


def _field(field: MergedField, first: bool) -> str:
    head = _description(field.description, "  ", first)
    return f"{head}  {field.name}{_arguments(field.args, '  ')}: {render(field.type)}" + _inline(
        field.directives
    )


def _enum_value(value: MergedEnumValue, first: bool) -> str:
    return (
        _description(value.description, "  ", first) + f"  {value.name}" + _inline(value.directives)
    )


def _input_field(value: MergedInput, first: bool) -> str:
    return _description(value.description, "  ", first) + "  " + _input_value(value)


def _type(merged: MergedType) -> str:
    keyword = {
        "object": "type",
        "interface": "interface",
        "union": "union",
        "enum": "enum",
        "input": "input",
        "scalar": "scalar",
    }[merged.kind]
    head = _description(merged.description, "", True) + f"{keyword} {merged.name}"
    if merged.interfaces:
        head += " implements " + " & ".join(merged.interfaces)
    head += "".join("\n  " + d for d in merged.directives)
    if merged.kind == "scalar":
        return head
    if merged.kind == "union":
        return head + ("\n = " + " | ".join(merged.members) if merged.members else "")
    if merged.kind == "enum":
        lines = [_enum_value(v, i == 0) for i, v in enumerate(merged.values.values())]
    elif merged.kind == "input":
        lines = [_input_field(v, i == 0) for i, v in enumerate(merged.input_fields.values())]
    else:
        lines = [_field(f, i == 0) for i, f in enumerate(merged.fields.values())]
    opening = "\n{" if merged.directives else " {"
    return head + opening + "\n" + "\n".join(lines) + "\n}"


def print_directive_definition(definition: DirectiveDef) -> str:
    """A custom directive's definition, as a composed directive is printed."""
    args = ", ".join(
        f"{a.name}: {render(a.type)}" + (f" = {print_ast(a.default)}" if a.default else "")
        for a in definition.args.values()
    )
    text = f"directive @{definition.name}" + (f"({args})" if args else "")
    if definition.repeatable:
        text += " repeatable"
    return text + " on " + " | ".join(definition.locations)


def print_supergraph(supergraph: MergedSupergraph) -> str:
    """The supergraph SDL, without a trailing newline (as Apollo prints it)."""
    version = ".".join(str(part) for part in supergraph.join_version)
    links = [
        LINK_SPEC,
        f'@link(url: "https://specs.apollo.dev/join/v{version}", for: EXECUTION)',
        *supergraph.links,
    ]
    roots = "\n".join(f"  {op}: {name}" for op, name in supergraph.roots.items())
    schema = "schema" + "".join("\n  " + link for link in links) + "\n{\n" + roots + "\n}"
    directives = {**_join_definitions(supergraph.join_version), **supergraph.directive_definitions}
    types = {name: _type(t) for name, t in supergraph.types.items()}
    types.update(_boilerplate_types(supergraph))
    types.update(supergraph.extra_types)
    parts = [schema]
    parts += [directives[name] for name in sorted(directives, key=sort_key)]
    parts += [types[name] for name in sorted(types, key=sort_key)]
    return "\n\n".join(parts)
