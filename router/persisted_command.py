"""``fedtasks persisted``: register operations for the router's safelist.

``fedtasks persisted register FILE...`` stores every operation of the .graphql files in
the shared Redis (``REDIS_URL``), where every router replica in safelist mode
(``FEDTASKS_SAFELIST=true``) finds them. ``--manifest OUT`` writes an Apollo
persisted-query manifest instead, for ``FEDTASKS_PERSISTED_QUERIES=OUT`` (no Redis
needed). Each file is one document as a client sends it: its operations and the fragments
they use. Both the file's exact text and its canonical printed form are registered, so
clients that hash either (Apollo Client hashes the printed form) are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, parse, print_ast

from router.cache.backend import CacheError
from router.cache.persisted import PersistedQueries, manifest_of
from router.cache.redis_backend import RedisBackend


def add_persisted(commands: Any) -> None:
    """Register ``fedtasks persisted register`` on the top-level parser."""
    parser = commands.add_parser("persisted", help="register operations for the safelist")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    register = actions.add_parser("register", help="register the operations of .graphql files")
    register.add_argument("files", nargs="+", type=Path)
    register.add_argument("--manifest", type=Path, help="write an Apollo manifest here instead")
    register.set_defaults(run=_register)


def _documents(files: list[Path]) -> list[tuple[str | None, str, str]]:
    """(operation name, operation type, text) per file, raw and printed (raises ValueError)."""
    out: list[tuple[str | None, str, str]] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            document = parse(text)
        except OSError as error:
            raise ValueError(f"cannot read {path}: {error.strerror}") from None
        except GraphQLError as error:
            raise ValueError(f"{path}: {error.message}") from None
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) != 1:
            raise ValueError(f"{path}: expected exactly one operation, found {len(operations)}")
        operation = operations[0]
        name = operation.name.value if operation.name else None
        kind = operation.operation.value
        for body in dict.fromkeys([text, print_ast(document)]):
            out.append((name, kind, body))
    return out


def _register(args: argparse.Namespace) -> int:
    try:
        documents = _documents(args.files)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.manifest is not None:
        args.manifest.write_bytes(
            orjson.dumps(manifest_of(documents), option=orjson.OPT_INDENT_2) + b"\n"
        )
        print(f"wrote {len(documents)} operations to {args.manifest}")
        return 0
    url = os.environ.get("REDIS_URL")
    if not url:
        print(
            "error: REDIS_URL is not set: the safelist lives in the shared Redis. "
            "Without Redis, write a manifest with --manifest FILE and start the router "
            "with FEDTASKS_PERSISTED_QUERIES=FILE.",
            file=sys.stderr,
        )
        return 2
    try:
        digests = asyncio.run(_store(url, [body for _, _, body in documents]))
    except CacheError as error:
        print(f"error: cannot register in Redis at {url}: {error}", file=sys.stderr)
        return 1
    for digest in digests:
        print(digest)
    return 0


async def _store(url: str, bodies: list[str]) -> list[str]:
    namespace = os.environ.get("FEDTASKS_CACHE_NAMESPACE", "fedtasks:")
    backend = RedisBackend(url, namespace=namespace, connect_timeout=2.0, command_timeout=5.0)
    try:
        return await PersistedQueries(backend).register(bodies)
    finally:
        await backend.aclose()
