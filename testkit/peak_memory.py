"""A process's peak resident memory, as its own.

`getrusage(...).ru_maxrss` is no measure of a child's memory: Linux carries the high-water
mark over `execve` from the process it was forked from, so a child of a benchmark holding
~220 MiB reported 226 MiB for a run that peaked at ~110 MiB. VmHWM belongs to the process's
own address space, which `execve` makes new."""

from __future__ import annotations

from pathlib import Path


def peak_rss_kb(pid: int | str = "self") -> int:
    """The process's resident memory high-water mark (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")
