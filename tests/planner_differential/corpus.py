"""The supergraphs of the planner differential run.

- every conformance scenario (``tests/conformance/<name>``), composed by our composer from
  the Strawberry subgraphs its ``conftest.py`` passes to ``Federation({...})``;
- every supergraph of the composition fixture corpus
  (``tests/router/composition/fixtures/*/supergraph.graphql``, composed by Apollo);
- the supergraphs written for the planner's failure classes, composed by Apollo
  (``tests/planner_differential/supergraphs/*.graphql``).
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

from graphql import EnumTypeDefinitionNode, StringValueNode, parse

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE_DIR = REPO_ROOT / "tests" / "conformance"
FIXTURES_DIR = REPO_ROOT / "tests" / "router" / "composition" / "fixtures"
OWN_DIR = Path(__file__).resolve().parent / "supergraphs"


@dataclass(frozen=True)
class CorpusEntry:
    """One supergraph of the run: a key (used in URLs and test ids) and where it comes from."""

    key: str
    source: Path

    def supergraph(self) -> str:
        """The supergraph SDL (conformance scenarios are composed here)."""
        if self.source.is_dir():
            return _compose_conformance(self.source)
        return self.source.read_text(encoding="utf-8")


def corpus() -> list[CorpusEntry]:
    """Every supergraph of the run, in a stable order."""
    entries = [
        CorpusEntry(f"conformance-{d.name}", d)
        for d in sorted(CONFORMANCE_DIR.iterdir())
        if (d / "conftest.py").is_file() and _federation_call(d / "conftest.py") is not None
    ]
    # The composition fixtures whose differences are recorded; fixtures added since (issue
    # 14's fuzzer findings) join once `--write` has recorded them.
    recorded = set((Path(__file__).parent / "recorded_fixtures.txt").read_text().split())
    entries += [
        CorpusEntry(f"fixture-{f.parent.name}", f)
        for f in sorted(FIXTURES_DIR.glob("*/supergraph.graphql"))
        if f.parent.name in recorded
    ]
    entries += [CorpusEntry(f"own-{f.stem}", f) for f in sorted(OWN_DIR.glob("*.graphql"))]
    return entries


def subgraph_names(supergraph: str) -> list[str]:
    """The subgraph names a supergraph's ``join__Graph`` enum declares."""
    names = []
    for definition in parse(supergraph).definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == (
            "join__Graph"
        ):
            for value in definition.values or ():
                for directive in value.directives or ():
                    for arg in directive.arguments or ():
                        if arg.name.value == "name" and isinstance(arg.value, StringValueNode):
                            names.append(arg.value.value)
    return names


def _federation_call(conftest: Path) -> dict[str, str] | None:
    """``{subgraph name: schema variable}`` of the first ``Federation({...})`` in a conftest."""
    tree = ast.parse(conftest.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Federation"
            and node.args
            and isinstance(node.args[0], ast.Dict)
        ):
            found = {}
            for key, value in zip(node.args[0].keys, node.args[0].values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Name):
                    found[str(key.value)] = value.id
            return found
    return None


def _compose_conformance(scenario: Path) -> str:
    from tests.conformance.harness import compose_supergraph

    call = _federation_call(scenario / "conftest.py")
    assert call is not None
    module = importlib.import_module(f"tests.conformance.{scenario.name}.subgraphs")
    return compose_supergraph({name: getattr(module, var) for name, var in call.items()})
