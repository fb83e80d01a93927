"""Memory of a process tree, from /proc: parsing, the tree, and the real processes here."""

from __future__ import annotations

import os
import subprocess
import sys

from memory import MIB, Memory, combine, descendants, snapshot, status_fields, tree_memory

STATUS = """Name:\tpython3
State:\tS (sleeping)
VmPeak:\t  300000 kB
VmHWM:\t   40960 kB
VmRSS:\t   20480 kB
Threads:\t4
"""


def test_status_fields_are_read_in_bytes() -> None:
    fields = status_fields(STATUS)
    assert fields["VmRSS"] == 20480 * 1024
    assert fields["VmHWM"] == 40960 * 1024
    assert "Threads" not in fields  # not a kB field
    assert "Name" not in fields


def test_descendants_walk_the_whole_tree() -> None:
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1}
    assert descendants(10, parents) == [10, 11, 12, 13]
    assert descendants(13, parents) == [13]


def test_a_tree_sums_current_and_peak_rss() -> None:
    memory = combine([{"VmRSS": 2 * MIB, "VmHWM": 3 * MIB}, {"VmRSS": MIB, "VmHWM": MIB}])
    assert memory == Memory(processes=2, rss=3 * MIB, peak=4 * MIB)
    assert memory.rss_mib == 3
    assert memory.peak_mib == 4


def test_a_real_child_process_counts_in_its_parents_tree() -> None:
    alone = tree_memory(os.getpid())
    assert alone.rss > 0
    assert alone.peak >= alone.rss
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)  # fmt: skip
    try:
        together = tree_memory(os.getpid())
        assert together.processes == alone.processes + 1
        assert snapshot({"child": child.pid})["child"].processes == 1
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
