"""bench/RELIABILITY.md from the test outcomes, the evidence log, the soak results and the
machine description. Pure: data in, Markdown out."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.reliability.catalogue import SECURITY, Known

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


def _faults(
    outcomes: Sequence[Outcome], evidence: list[dict[str, Any]], known: Sequence[Known]
) -> tuple[list[str], int, int]:
    status = {o.test: o.status for o in outcomes}
    rows = ["| fault injected | times | what the system did | records lost | result | test |"]
    rows.append("|---|---:|---|---:|---|---|")
    injected = lost = 0
    for e in (e for e in evidence if e["kind"] == "fault"):
        did = e["outcome"] + (f"; then {e['then']}" if e.get("then") else "")
        shown = "—" if e.get("lost") is None else e["lost"]
        injected += int(e["injected"])
        lost += int(e.get("lost") or 0)
        rows.append(
            f"| {_cell(e['fault'])} | {e['injected']} | {_cell(did)} | {shown} | "
            f"{status.get(e['test'], 'not run')} | `{_function(e['test'])}` |"
        )
    for k in known:
        runs = [o for o in outcomes if o.test == k.test or o.test.startswith(k.test + "[")]
        result = "not run" if not runs else Counter(o.status for o in runs).most_common(1)[0][0]
        if any(o.status == "failed" for o in runs):
            result = "failed"
        times = k.injected * max(len(runs), 1)
        injected += times if runs else 0
        shown = "—" if k.lost is None else ("0 (asserted)" if result == "passed" else "?")
        rows.append(
            f"| {_cell(k.fault)} | {times} | {_cell(k.behaviour)} | {shown} | {result} | "
            f"`{k.test.split('/')[-1]}` |"
        )
    return rows, injected, lost


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


def _security(outcomes: Sequence[Outcome]) -> list[str]:
    rows = ["| claim | result | test |", "|---|---|---|"]
    for test, claim in SECURITY:
        runs = [o for o in outcomes if o.test.startswith(test)]
        statuses = Counter(o.status for o in runs)
        result = "not run" if not runs else ", ".join(f"{n} {s}" for s, n in statuses.items())
        rows.append(f"| {_cell(claim)} | {result} | `{_function(test)}` |")
    return rows


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


def render(
    outcomes: Sequence[Outcome],
    evidence: list[dict[str, Any]],
    known: Sequence[Known],
    soak: dict[str, Any] | None,
    described: dict[str, str],
    stamp: str,
) -> tuple[str, int]:
    fault_rows, injected, fault_lost = _faults(outcomes, evidence, known)
    hostile_rows, tried, fivexx = _hostile(evidence)
    soak_rows, soak_lost = _soak(soak)
    counts = Counter(o.status for o in outcomes)
    lost = fault_lost + soak_lost
    lines = [
        "# Reliability report",
        "",
        f"Generated {stamp} by `.venv/bin/python -m bench.reliability` (`make reliability`);"
        " do not edit by hand.",
        "",
        "## Summary",
        "",
        f"- Tests run: {len(outcomes)} — {counts['passed']} passed, {counts['failed']} failed,"
        f" {counts['skipped']} skipped.",
        f"- Faults injected: {injected}; records lost: **{lost}**.",
        f"- Hostile inputs tried: {tried}; answered 5xx: **{fivexx}**.",
        "- Soak: " + ("not run" if soak is None else ("PASS" if soak["passed"] else "FAIL")),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in described.items()),
        "",
        "## Faults",
        "",
        *fault_rows,
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
        "## Security",
        "",
        *_security(outcomes),
        "",
        "## Soak",
        "",
        *soak_rows,
        "",
        "## Known limits",
        "",
        LIMITS,
    ]
    return "\n".join(lines), lost
