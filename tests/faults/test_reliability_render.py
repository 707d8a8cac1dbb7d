"""The reliability report's renderer, fed evidence by hand: faults are counted once per
injection the tests recorded (never multiplied by a declared count), a fault test that
recorded nothing shows as not measured, and checks that inject nothing are not faults."""

from __future__ import annotations

from typing import Any

import pytest

from bench.reliability.catalogue import Check, Fault
from bench.reliability.render import UNMEASURED, Outcome, Report, render

TEST = "tests/faults/test_x.py::test_registry_misbehaves"
OTHER = "tests/faults/test_x.py::test_node_goes_away"
AUTH = "tests/service/test_y.py::test_admin_auth"
FAULTS = [Fault(TEST, "registry misbehaves"), Fault(OTHER, "node goes away")]
CHECKS = [Check(AUTH, "admin refuses bad tokens", "security")]


def _report(outcomes: list[Outcome], evidence: list[dict[str, Any]]) -> Report:
    return render(outcomes, evidence, (FAULTS, CHECKS), None, {}, "now")


def _note(test: str, injected: int, lost: int | None = 0) -> dict[str, Any]:
    outcome = f"completed after {injected} faults"
    return {"kind": "fault", "test": test, "injected": injected, "outcome": outcome, "lost": lost}


def _cells(report: Report, injects: str) -> list[list[str]]:
    """The cells of every fault row whose first cell starts with `injects`."""
    rows = [line.split(" | ") for line in report.text.splitlines() if line.startswith("| ")]
    return [[c.strip(" |") for c in row] for row in rows if row[0][2:].startswith(injects)]


def _summary(report: Report, start: str) -> str:
    return next(line for line in report.text.splitlines() if line.startswith(start))


@pytest.mark.parametrize(("runs", "injected"), [(1, 1), (1, 3), (5, 1), (5, 4)])
def test_faults_are_counted_once_per_recorded_injection(runs: int, injected: int) -> None:
    ids = [f"{TEST}[{i}-</html>]" for i in range(runs)]  # a parameter may hold a "/"
    outcomes = [Outcome(i, "passed", 0.1) for i in ids] + [Outcome(OTHER, "passed", 0.1)]
    evidence = [_note(i, injected) for i in ids] + [_note(OTHER, 1, lost=None)]
    report = _report(outcomes, evidence)
    total = runs * injected + 1
    assert _summary(report, "- Faults injected:").startswith(
        f"- Faults injected: {total}, in {runs + 1} test runs;"
    )
    rows = _cells(report, "registry misbehaves")
    assert [row[1] for row in rows] == [str(injected)] * runs
    assert {row[2] for row in rows} == {f"completed after {injected} faults"}
    assert {(row[4], row[5]) for row in rows} == {("passed", f"`{TEST.split('/')[-1]}`")}
    assert _cells(report, "node goes away")[0][1:4] == ["1", "completed after 1 faults", "—"]
    assert report.unmeasured == 0


@pytest.mark.parametrize(
    ("status", "result", "unmeasured"),
    [("passed", "passed", 1), ("failed", "failed", 0), (None, "not run", 0)],
)
def test_a_fault_test_without_evidence_is_not_measured(
    status: str | None, result: str, unmeasured: int
) -> None:
    outcomes = [Outcome(OTHER, "passed", 0.1)]
    if status is not None:
        outcomes.append(Outcome(TEST, status, 0.1))
    report = _report(outcomes, [_note(OTHER, 2)])
    assert _cells(report, "registry misbehaves") == [
        [
            "registry misbehaves",
            UNMEASURED,
            UNMEASURED,
            UNMEASURED,
            result,
            "`test_x.py::test_registry_misbehaves`",
        ]
    ]
    assert _summary(report, "- Faults injected:").startswith("- Faults injected: 2, in 1 test runs")
    assert report.unmeasured == unmeasured


def test_a_parametrisation_without_evidence_is_not_measured_beside_its_siblings() -> None:
    outcomes = [Outcome(f"{TEST}[a]", "passed", 0.1), Outcome(f"{TEST}[b]", "passed", 0.1)]
    report = _report(outcomes, [_note(f"{TEST}[a]", 3)])
    assert [row[1] for row in _cells(report, "registry misbehaves")] == ["3", UNMEASURED]
    assert report.unmeasured == 1


@pytest.mark.parametrize("runs", [1, 5])
def test_checks_are_not_faults(runs: int) -> None:
    outcomes = [Outcome(f"{AUTH}[{i}]", "passed", 0.1) for i in range(runs)]
    report = _report(outcomes, [])
    assert _summary(report, "- Faults injected:").startswith("- Faults injected: 0, in 0 test runs")
    assert _summary(report, "- Security and deployment checks") == (
        f"- Security and deployment checks (no fault injected): {runs} of {runs} runs passed."
    )
    assert _cells(report, "admin refuses bad tokens")[0][1:3] == ["security", f"{runs} passed"]


def test_records_lost_add_up_and_evidence_outside_the_catalogue_is_shown() -> None:
    stray = "tests/faults/test_z.py::test_new"
    outcomes = [Outcome(t, "passed", 0.1) for t in (TEST, OTHER, stray)]
    evidence = [_note(TEST, 1, lost=2), _note(OTHER, 1, lost=None), _note(stray, 1, lost=1)]
    report = _report(outcomes, evidence)
    assert report.lost == 3
    assert _summary(report, "- Faults injected:").endswith("records lost: **3**.")
    assert _cells(report, f"{stray} (not in the catalogue)")[0][1] == "1"
