"""bench/ holds scripts that import each other by module name; make them importable here."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = str(Path(__file__).resolve().parents[2] / "bench")
# Appended, not prepended: a bench module never shadows an installed package.
if BENCH not in sys.path:
    sys.path.append(BENCH)
