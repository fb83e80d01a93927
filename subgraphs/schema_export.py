"""Export each subgraph's SDL, as its ``_service { sdl }`` field returns it."""

from __future__ import annotations

from pathlib import Path

from subgraphs.common.schema import SubgraphSchema


def _schemas() -> dict[str, SubgraphSchema]:
    from subgraphs.tasks.api.schema import schema as tasks
    from subgraphs.users.api.schema import schema as users

    return {"users": users, "tasks": tasks}


def service_sdl(schema: SubgraphSchema) -> str:
    """The SDL a router or composer fetches from ``_service``, newline-terminated."""
    result = schema.execute_sync("{ _service { sdl } }")
    if result.errors or result.data is None:
        raise RuntimeError(f"cannot read the subgraph SDL: {result.errors}")
    sdl: str = result.data["_service"]["sdl"]
    return sdl.rstrip("\n") + "\n"


def exported_sdl() -> dict[str, str]:
    """File name to SDL, for every subgraph."""
    return {f"{name}.graphql": service_sdl(schema) for name, schema in _schemas().items()}


def export_sdl(directory: Path) -> list[Path]:
    """Write every subgraph's SDL into ``directory``; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, sdl in exported_sdl().items():
        path = directory / name
        path.write_text(sdl, encoding="utf-8")
        written.append(path)
    return written


def stale_files(directory: Path) -> list[Path]:
    """The SDL files in ``directory`` that are missing or differ from the code."""
    stale = []
    for name, sdl in exported_sdl().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != sdl:
            stale.append(path)
    return stale
