"""The composition pipeline: parse, prepare, validate, merge, check, print.

Errors or a supergraph, never both (FED composition-js/src/compose.ts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from router.composition.errors import CompositionError, CompositionFailed
from router.composition.features import FEATURES, link_for
from router.composition.merge import merge
from router.composition.model import Subgraph
from router.composition.prepare import prepare
from router.composition.printer import print_directive_definition, print_supergraph
from router.composition.satisfiability import check_satisfiability
from router.composition.subgraph import parse_subgraph
from router.composition.subgraph_rules import check_extensions, check_subgraph
from router.composition.supergraph_model import MergedSupergraph
from router.composition.supergraph_rules import check_supergraph

RESERVED_NAMES = {"_"}


@dataclass(frozen=True)
class SubgraphSource:
    """A subgraph to compose: its name, routing URL and SDL."""

    name: str
    url: str
    sdl: str


@dataclass(frozen=True)
class CompositionResult:
    """The supergraph SDL, or the errors that prevent it."""

    supergraph: str | None
    errors: list[CompositionError] = field(default_factory=list)


def _parse_all(sources: list[SubgraphSource]) -> tuple[list[Subgraph], list[CompositionError]]:
    """The subgraphs that parse, and the errors of those that do not."""
    errors: list[CompositionError] = []
    parsed: list[Subgraph] = []
    for source in sources:
        if source.name in RESERVED_NAMES:
            errors.append(
                CompositionError(
                    "INVALID_SUBGRAPH_NAME",
                    f"[{source.name}] Invalid name {source.name} for a subgraph: this name is "
                    "reserved",
                )
            )
            continue
        try:
            parsed.append(parse_subgraph(source.name, source.url, source.sdl))
        except CompositionFailed as failure:
            errors.extend(failure.errors)
    return parsed, errors


def _applied_names(supergraph: MergedSupergraph) -> set[str]:
    names: set[str] = set()
    for merged in supergraph.types.values():
        elements = [
            merged.directives,
            *(f.directives for f in merged.fields.values()),
            *(a.directives for f in merged.fields.values() for a in f.args.values()),
            *(v.directives for v in merged.values.values()),
            *(v.directives for v in merged.input_fields.values()),
        ]
        names.update(d[1:].split("(")[0] for ds in elements for d in ds)
    return names


def _add_features(supergraph: MergedSupergraph, subgraphs: list[Subgraph]) -> None:
    """Link and define the features (tag, inaccessible...) and composed directives used."""
    used = _applied_names(supergraph)
    for feature in FEATURES:
        applied = used & set(feature.directives)
        if not applied:
            continue
        supergraph.links.append(link_for(feature, applied))
        for name in feature.directives if feature.define_all else applied:
            supergraph.directive_definitions[name] = feature.directives[name]
        for type_name, definition in feature.types.items():
            supergraph.extra_types[type_name] = definition
    for subgraph in subgraphs:
        for name in subgraph.composed_directives:
            if name in supergraph.directive_definitions:
                continue
            url = next((u for u, imported in subgraph.other_links if name in imported), None)
            if url is not None:
                supergraph.links.append(f'@link(url: "{url}", import: ["@{name}"])')
            directive = subgraph.directive_defs.get(name)
            if directive is not None:
                supergraph.directive_definitions[name] = print_directive_definition(directive)


def compose(sources: list[SubgraphSource]) -> CompositionResult:
    """Compose subgraphs into a supergraph SDL in Apollo's format."""
    try:
        # Like Apollo, a subgraph that does not parse does not stop the others' validation.
        subgraphs, errors = _parse_all(sources)
        errors += [e for s in subgraphs for e in check_subgraph(s)]
        if not errors:
            errors = check_extensions(subgraphs)
        if errors:
            raise CompositionFailed(errors)
        prepare(subgraphs)
        merged = merge(subgraphs)
        errors = check_supergraph(merged, subgraphs) or check_satisfiability(merged, subgraphs)
        if errors:
            raise CompositionFailed(errors)
        _add_features(merged, subgraphs)
    except CompositionFailed as failure:
        return CompositionResult(supergraph=None, errors=failure.errors)
    return CompositionResult(supergraph=print_supergraph(merged))
