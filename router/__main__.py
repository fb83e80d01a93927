"""``python -m router``: the ``fedtasks`` command."""

import sys

from router.cli import main

sys.exit(main())
