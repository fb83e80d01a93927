"""Run the whole differential corpus and print the differences by class and plan sizes.

    .venv/bin/python -m tests.planner_differential.report [--write] [--show CLASS] [KEY...]

``--write`` records what it found as the expectation of the test
(``known_differences.json``); ``--show CLASS`` prints the operations of that class with
both answers. Needs ``npm ci --prefix tools/apollo-gateway``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter

from tests.planner_differential.apollo import ApolloError, ApolloReference
from tests.planner_differential.corpus import corpus
from tests.planner_differential.differential import SupergraphRun
from tests.planner_differential.expectations import KNOWN_FILE, load_known
from tests.planner_differential.mock_server import MockServer


def _annotated(recorded: str | None, computed: str) -> str:
    """The class to record: a hand-verified ``apollo-wrong:`` one stays, else the computed."""
    if recorded is not None and recorded.startswith("apollo-wrong:"):
        return recorded
    return computed


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--show")
    parser.add_argument("keys", nargs="*")
    args = parser.parse_args(argv)
    server = MockServer()
    server.start()
    apollo = ApolloReference()
    known = load_known()
    found: dict[str, dict[str, str]] = {}
    by_class: Counter[str] = Counter()
    supergraphs = operations = not_compared = planned = 0
    fetches = [0, 0]
    deeper: list[str] = []
    try:
        for entry in corpus():
            if args.keys and entry.key not in args.keys:
                continue
            try:
                run = SupergraphRun(entry, apollo, server)
            except ApolloError as error:
                print(f"{entry.key}: Apollo refuses it: {str(error).splitlines()[0]}")
                by_class["both-refuse-supergraph"] += 1
                found[entry.key] = {"load": "both-refuse-supergraph"}
                continue
            supergraphs += 1
            results = await run.compare(run.operations())
            for result in results:
                sizes = run.plan_sizes(result.operation)
                if sizes is None:
                    continue
                ours, theirs = sizes
                planned += 1
                fetches[0] += ours.fetches
                fetches[1] += theirs.fetches
                if ours.depth > theirs.depth:
                    deeper.append(f"{entry.key} #{result.index}: {ours.depth} > {theirs.depth}")
            run.close()
            operations += len(results)
            not_compared += sum(not r.compared for r in results)
            before = known.get(entry.key, {})
            differing = {
                str(r.index): _annotated(before.get(str(r.index)), r.klass)
                for r in results
                if r.klass
            }
            found[entry.key] = {k: v for k, v in differing.items() if v}
            by_class.update(v for v in differing.values() if v)
            print(f"{entry.key}: {len(results)} operations, {len(differing)} differ")
            for r in results:
                if r.klass and args.show and (args.show == "all" or r.klass == args.show):
                    print(f"--- {entry.key} #{r.index} [{r.klass}]\n{r.operation.query}")
                    print(f"vars {json.dumps(r.operation.variables)}")
                    print(f"ours   {json.dumps(r.ours)[:1500]}")
                    print(f"apollo {json.dumps(r.theirs)[:1500]}")
    finally:
        apollo.close()
        server.stop()
    print(f"\n{supergraphs} supergraphs, {operations} operations ({not_compared} not compared)")
    print(
        f"plans of {planned} operations: {fetches[0]} fetches (Apollo's: {fetches[1]}); "
        f"{len(deeper)} with a longer chain of fetches than Apollo's"
    )
    for line in deeper:
        print(f"  deeper: {line}")
    for name, number in by_class.most_common():
        print(f"{number:5d}  {name}")
    if args.write:
        merged = {**known, **found} if args.keys else found
        KNOWN_FILE.write_text(
            json.dumps({k: v for k, v in merged.items() if v}, indent=1, sort_keys=True) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
