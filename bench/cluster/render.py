"""bench/SCALE.md's cluster section, rendered from the cluster tests' outcomes and the figures
they measured (tests/cluster/evidence.py); pure, so a test can check the rendering. Only the
text between the section's markers is ours: other sections of the file are kept."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

START = "<!-- cluster-faults:start -->"
END = "<!-- cluster-faults:end -->"


@dataclass(frozen=True)
class Outcome:
    test: str
    status: str  # passed, failed, skipped
    seconds: float


def _start(e: Mapping[str, Any]) -> str:
    return f"{e['nodes']} nodes formed a cluster, all joined and health green, in {e['seconds']} s"


def _two(e: Mapping[str, Any]) -> str:
    return (
        f"a single node with data, stopped, then `trials es start --nodes 2`: formed in "
        f"{e['start_s']} s; indices with one replica {e['health']}; `stop` stopped both; "
        "`start` as one node refused (as was `--nodes 2` while the node ran alone)"
    )


def _sync(e: Mapping[str, Any]) -> str:
    reruns = ", ".join(e["reruns"]) or "none needed"
    return (
        f"killed {e['killed']} (holding {e['primaries_on_it']} of 3 primaries) after "
        f"{e['written_before_kill']} of {e['registry']} records were written; the run ended "
        f"**{e['first_run']}** after {e['sync_s']} s ({_counts(e['first_counts'])}); reruns: "
        f"{reruns}; indexed {e['indexed']} of {e['registry']}: **{e['lost']} lost**; history: "
        f"{e['history']} changes stored, one per record (the run's `history` count leaves out "
        "those a retried batch found written by its first attempt)"
    )


def _load(e: Mapping[str, Any]) -> str:
    statuses = ", ".join(f"{n} × {status}" for status, n in sorted(e["statuses"].items()))
    return (
        f"killed {e['killed']} under 6 concurrent clients of `trials serve` (every node's URL "
        f"in TRIALS_ES_URL): {e['requests']} requests, answers {statuses}; latency before the "
        f"kill p50 {e['p50_ms_before']} ms / p99 {e['p99_ms_before']} ms, after it p50 "
        f"{e['p50_ms_after']} ms / **p99 {e['p99_ms_after']} ms** (max {e['max_ms_after']} ms)"
    )


def _master(e: Mapping[str, Any]) -> str:
    return (
        f"killed the elected master {e['killed']}; {e['elected']} elected {e['elected_after_s']}"
        f" s later; the first write begun after the kill was acknowledged at "
        f"+{e['first_write_after_kill_s']} s, the slowest write took {e['slowest_write_s']} s; "
        f"{e['acknowledged']} writes acknowledged, {e['stored']} stored; a sync afterwards "
        f"{e['sync_after']}"
    )


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "nothing counted"


def _backup(e: Mapping[str, Any]) -> str:
    return (
        f"`trials backup` on the cluster (one path.repo folder for all three nodes): "
        f"{e['documents']} documents backed up, the index deleted, restored as "
        f"{e['restored']}, all {e['documents']} back, green"
    )


SAYS: dict[str, tuple[str, Callable[[Mapping[str, Any]], str]]] = {
    "cluster start": ("Cluster start (3 nodes)", _start),
    "grows_to_two": ("One node grown to two through the CLI", _two),
    "full_sync": ("A data node killed during a full sync", _sync),
    "api_load": ("A node killed under API load", _load),
    "elected_master": ("The elected master killed", _master),
    "backup_on_the_cluster": ("Backup and restore", _backup),
}


def _said(line: Mapping[str, Any]) -> tuple[str, str] | None:
    for key, (title, say) in SAYS.items():
        if key in str(line.get("test", "")):
            return title, say(line)
    return None


def section(
    outcomes: list[Outcome],
    evidence: Sequence[Mapping[str, Any]],
    machine: Mapping[str, str],
    stamp: str,
) -> str:
    """The markdown between (and with) the markers."""
    lines = [
        START,
        "## Cluster faults (`make cluster-test`)",
        "",
        f"Written by `python -m bench.cluster` on {stamp}; machine: "
        + ", ".join(f"{k} {v}" for k, v in machine.items())
        + ". Three real nodes of one install, started by the code of `trials es start --nodes 3` "
        "on free ports, 512 MiB heap each; the test indices have 3 primaries and 1 replica; "
        "every fault is a SIGKILL (no clean shutdown), and the killed node is started again "
        "before the next test.",
        "",
    ]
    for line in evidence:
        said = _said(line)
        if said is not None:
            lines.append(f"- **{said[0]}:** {said[1]}.")
    lines += ["", "| test | result | seconds |", "|---|---|---:|"]
    lines += [f"| `{o.test}` | {o.status} | {o.seconds:.1f} |" for o in outcomes]
    return "\n".join([*lines, END])


def merged(existing: str, new_section: str, start: str = START, end: str = END) -> str:
    """`existing` with its section between `start` and `end` (the cluster section's markers
    by default) replaced by `new_section` (appended if absent)."""
    if start in existing and end in existing:
        head, rest = existing.split(start, 1)
        return head + new_section + rest.split(end, 1)[1]
    base = existing.rstrip() or "# Scale: a cluster, and the whole registry"
    return f"{base}\n\n{new_section}\n"
