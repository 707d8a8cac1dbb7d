"""bench/RELIABILITY.md from the test outcomes, the evidence log, the soak results and the
machine description. Pure: data in, Markdown out. Every figure comes from the evidence the
tests wrote or from their outcomes; a fault test that wrote none is shown as not measured."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.reliability.catalogue import Check, Fault

UNMEASURED = "not measured"
SWEEPS = ("test_any_parameters_get_an_answer_or_a_problem",)
LIMITS = """\
- A request line over 1 MiB or a header over 32 KiB is refused by aiohttp's HTTP parser with a
  plain-text 400 before any application code runs: a 4xx, but not `application/problem+json`
  (`service/app.py`, `MAX_REQUEST_LINE`, `MAX_HEADER`). Everything under those limits (the
  100,000-character `q`, 3,000 repeated parameters, a 20 KB bearer token) gets a problem.
- A repeated single-valued parameter (`limit=5&limit=5…`) takes its first value (200).
- A client that announces a body and never sends it holds its connection until it gives up;
  aiohttp has no body-read timeout. Put a reverse proxy with client timeouts in front in
  production.
- Vulnerability audit: `make audit` runs `pip-audit --strict --skip-editable`. On the machine
  above it cannot work, so it is not part of `make test`: PyPI's per-version JSON API answers
  404 through this network (`curl https://pypi.org/pypi/aiohttp/3.14.5/json` → 404, while
  `/pypi/aiohttp/json` → 200), so pip-audit reports `ERROR:pip_audit._cli:aiohappyeyeballs:
  Dependency not found on PyPI and could not be audited: aiohappyeyeballs (2.7.1)` for every
  dependency and exits 1; its OSV service fails too (`curl https://api.osv.dev/v1/query` →
  `Could not resolve host: api.osv.dev`). Run `make audit` where PyPI or OSV is reachable.
"""


@dataclass(frozen=True)
class Outcome:
    test: str
    status: str  # passed / failed / skipped
    seconds: float


def _function(test: str) -> str:
    return test.split("::")[-1].split("[")[0]


def _cell(value: object, limit: int = 240) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _of(test: str, node: str) -> bool:
    """Whether `node` is the node id `test` or one of its parametrisations."""
    return node == test or node.startswith(test + "[")


def _short(test: str) -> str:
    """`file.py::function`, without the folders or the parameters (which may hold a `/`)."""
    return f"`{test.split('[')[0].split('/')[-1]}`"


@dataclass
class _Faults:
    rows: list[str]
    injected: int = 0
    lost: int = 0
    runs: int = 0  # test runs that recorded a fault
    unmeasured: int = 0  # test runs that passed without recording one


def _measured(injects: str, note: dict[str, Any], result: str) -> str:
    if note.get("variant"):
        injects += f" ({note['variant']})"
    did = note["outcome"] + (f"; then {note['then']}" if note.get("then") else "")
    lost = "—" if note.get("lost") is None else note["lost"]
    return (
        f"| {_cell(injects)} | {note['injected']} | {_cell(did)} | {lost} | {result} | "
        f"{_short(note['test'])} |"
    )


def _unmeasured(fault: Fault, result: str) -> str:
    cells = " | ".join([UNMEASURED] * 3)
    return f"| {_cell(fault.injects)} | {cells} | {result} | {_short(fault.test)} |"


def _faults(
    outcomes: Sequence[Outcome], evidence: list[dict[str, Any]], faults: Sequence[Fault]
) -> _Faults:
    """One row per fault injection a test run recorded, its times counted once; a run of a
    catalogued test that recorded nothing is a row saying so, and counts nothing."""
    status = {o.test: o.status for o in outcomes}
    notes = [e for e in evidence if e["kind"] == "fault"]
    found = _Faults(
        ["| fault injected | times | what the system did | records lost | result | test |"]
    )
    found.rows.append("|---|---:|---|---:|---|---|")
    for fault in faults:
        mine = [n for n in notes if _of(fault.test, n["test"])]
        found.rows += [_measured(fault.injects, n, status.get(n["test"], "not run")) for n in mine]
        noted = {n["test"] for n in mine}
        silent = [o for o in outcomes if _of(fault.test, o.test) and o.test not in noted]
        found.rows += [_unmeasured(fault, o.status) for o in silent]
        if not mine and not silent:
            found.rows.append(_unmeasured(fault, "not run"))
        found.unmeasured += sum(o.status == "passed" for o in silent)
    for note in notes:
        if not any(_of(fault.test, note["test"]) for fault in faults):
            injects = f"{note['test']} (not in the catalogue)"
            found.rows.append(_measured(injects, note, status.get(note["test"], "not run")))
    found.injected = sum(int(n["injected"]) for n in notes)
    found.lost = sum(int(n.get("lost") or 0) for n in notes)
    found.runs = len({n["test"] for n in notes})
    return found


def _hostile(evidence: list[dict[str, Any]]) -> tuple[list[str], int, int]:
    tried = [e for e in evidence if e["kind"] == "hostile"]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in tried:
        groups[_function(e["test"])].append(e)
    fivexx = sum(1 for e in tried if e["status"] >= 500)
    rows = ["| test | inputs | answers by status | all 4xx are problems | slowest |"]
    rows.append("|---|---:|---|---|---:|")
    for name, items in groups.items():
        statuses = dict(sorted(Counter(e["status"] for e in items).items()))
        refusals = [e for e in items if e["status"] >= 400]
        problems = sum(1 for e in refusals if e.get("problem"))
        slowest = max(e["seconds"] for e in items) * 1000
        rows.append(
            f"| `{name}` | {len(items)} | {statuses} | {problems}/{len(refusals)} | "
            f"{slowest:.0f} ms |"
        )
    rows += ["", "<details><summary>Every hand-written hostile input and its answer</summary>", ""]
    rows += ["| request | status | problem | ms |", "|---|---:|---|---:|"]
    for e in tried:
        if _function(e["test"]) in SWEEPS:
            continue
        problem = "—" if e.get("problem") is None else ("yes" if e["problem"] else "no")
        rows.append(
            f"| `{_cell(e['request'])}` | {e['status']} | {problem} | {e['seconds'] * 1000:.1f} |"
        )
    rows += ["", "</details>"]
    return rows, len(tried), fivexx


def _checks(outcomes: Sequence[Outcome], checks: Sequence[Check]) -> tuple[list[str], int, int]:
    """The security and deployment checks: what each asserts and how its runs ended."""
    rows = ["| check | kind | result | test |", "|---|---|---|---|"]
    passed = total = 0
    for check in checks:
        runs = [o for o in outcomes if _of(check.test, o.test)]
        statuses = Counter(o.status for o in runs)
        passed, total = passed + statuses["passed"], total + len(runs)
        result = "not run" if not runs else ", ".join(f"{n} {s}" for s, n in statuses.items())
        rows.append(f"| {_cell(check.claim)} | {check.kind} | {result} | {_short(check.test)} |")
    return rows, passed, total


def _soak(soak: dict[str, Any] | None) -> tuple[list[str], int]:
    if soak is None:
        return ["No soak results yet: run `make soak` (10 minutes)."], 0
    lost = sum(v["lost"] + v["stale_content"] + v["duplicated"] for v in soak["verdicts"])
    rows = [
        f"Run finished {soak['finished_at']} on commit {soak.get('commit', 'unknown')}: "
        f"**{'PASS' if soak['passed'] else 'FAIL'}** — "
        f"{soak['minutes']} minutes, {soak['workers']} concurrent clients, "
        f"{soak['requests']:,} requests (p50 {soak['p50_ms']:.1f} ms, p99 "
        f"{soak['p99_ms']:.1f} ms), answers by status {soak['by_status']}, "
        f"**{soak['fivexx']} 5xx**, transport errors {soak['transport_errors'] or 0}.",
        "",
        f"Registry: {soak['records']:,} iCReaT records changed {soak['change_rounds']} times "
        f"(in all {soak['changes']}), plus CRIS and ClinicalTrials.gov; sync runs by status "
        f"{soak['sync_runs']}. Secrets found in the two processes' logs: "
        f"{sum(soak['secret_occurrences_in_logs'].values())}.",
        "",
        "| source | registry holds | live in the index | lost | stale content | "
        "not tombstoned | duplicated |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for v in soak["verdicts"]:
        rows.append(
            f"| {v['source']} | {v['expected_live']:,} | {v['live']:,} | {v['lost']} | "
            f"{v['stale_content']} | {v['not_removed']} | {v['duplicated']} |"
        )
    rows += [
        "",
        "| process | RSS peak, minute after warm-up | RSS peak, last minute | growth |",
        "|---|---:|---:|---:|",
    ]
    for name, m in soak["rss"].items():
        rows.append(
            f"| {name} | {m['after_warmup_kb'] / 1024:.1f} MiB | "
            f"{m['last_minute_kb'] / 1024:.1f} MiB | {m['growth']:+.1%} |"
        )
    return rows, lost


@dataclass(frozen=True)
class Report:
    text: str
    lost: int  # records lost, in the fault tests and the soak
    unmeasured: int  # fault tests that passed without writing evidence


def _summary(
    outcomes: Sequence[Outcome],
    faults: _Faults,
    hostile: tuple[int, int],
    checks: tuple[int, int],
    soak: dict[str, Any] | None,
) -> list[str]:
    counts = Counter(o.status for o in outcomes)
    unmeasured = ""
    if faults.unmeasured:
        unmeasured = f" ({faults.unmeasured} passed without measuring: see the table)"
    soak_result = "not run" if soak is None else ("PASS" if soak["passed"] else "FAIL")
    return [
        f"- Tests run: {len(outcomes)} — {counts['passed']} passed, {counts['failed']} failed,"
        f" {counts['skipped']} skipped.",
        f"- Faults injected: {faults.injected}, in {faults.runs} test runs{unmeasured};"
        f" records lost: **{faults.lost}**.",
        f"- Hostile inputs tried: {hostile[0]}; answered 5xx: **{hostile[1]}**.",
        f"- Security and deployment checks (no fault injected): {checks[0]} of {checks[1]}"
        " runs passed.",
        f"- Soak: {soak_result}.",
    ]


def render(
    outcomes: Sequence[Outcome],
    evidence: list[dict[str, Any]],
    catalogue: tuple[Sequence[Fault], Sequence[Check]],
    soak: dict[str, Any] | None,
    described: dict[str, str],
    stamp: str,
) -> Report:
    faults = _faults(outcomes, evidence, catalogue[0])
    hostile_rows, tried, fivexx = _hostile(evidence)
    check_rows, passed, checked = _checks(outcomes, catalogue[1])
    soak_rows, soak_lost = _soak(soak)
    summary = _summary(outcomes, faults, (tried, fivexx), (passed, checked), soak)
    lines = [
        "# Reliability report",
        "",
        f"Generated {stamp} by `.venv/bin/python -m bench.reliability` (`make reliability`);"
        " do not edit by hand. Every figure below was measured by the tests while they ran"
        " (the evidence they write, `tests/faults/evidence.py`) or read from their outcomes.",
        "",
        "## Summary",
        "",
        *summary,
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in described.items()),
        "",
        "## Faults",
        "",
        "What each test injects is described in `bench/reliability/catalogue.py`; how many"
        " times it was injected (as counted where it was injected, e.g. by the fake registry)"
        " and what the system did are what the test recorded.",
        "",
        *faults.rows,
        "",
        "## Hostile input",
        "",
        "Every input must get a 4xx problem (or a normal answer when it is plain text that "
        "matches nothing) within 5 s, and nothing sent to Elasticsearch may contain "
        "`query_string`, `regexp`, `wildcard`, `fuzzy`, `prefix`, `script` or runtime fields "
        "(checked on the wire through a recording proxy in front of the real node).",
        "",
        *hostile_rows,
        "",
        "## Security and deployment checks",
        "",
        "Checked by the tests named; they inject no fault and are not counted as faults.",
        "",
        *check_rows,
        "",
        "## Soak",
        "",
        *soak_rows,
        "",
        "## Known limits",
        "",
        LIMITS,
    ]
    return Report("\n".join(lines), faults.lost + soak_lost, faults.unmeasured)
