"""``python -m subgraphs``: the subgraph commands of ``fedtasks``."""

import sys

from subgraphs.cli import main

sys.exit(main())
