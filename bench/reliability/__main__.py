"""Regenerate bench/RELIABILITY.md: runs the fault and hostile-input suites (tests/faults,
tests/hostile, and the fault and check tests of tests/indexer, tests/service and tests/ops
named in the catalogue) against the real node with a junit report and an evidence log, folds
in the latest soak results (bench/soak/last-run.json, written by `python -m bench.soak`), and
describes the machine. Exits non-zero when a test failed, any record was lost or a fault test
passed without recording what it measured. Usage:
    .venv/bin/python -m bench.reliability            # run the suites, render the report
    .venv/bin/python -m bench.reliability --render   # render the last run again (new soak)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.reliability import machine
from bench.reliability.catalogue import CHECKS, FAULTS, suites
from bench.reliability.render import Outcome, render
from trials.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "bench" / "RELIABILITY.md"
SOAK = ROOT / "bench" / "soak" / "last-run.json"
OWN_SUITES = ("tests/faults", "tests/hostile")
# What the suites wrote, kept (gitignored) so the report can be rendered again from the same run,
# e.g. after a soak that finished later: `python -m bench.reliability --render`.
RESULTS = ROOT / "bench" / "results" / "reliability"


def run_suites(workdir: Path) -> tuple[list[Outcome], list[dict[str, Any]], int]:
    junit, evidence = workdir / "junit.xml", workdir / "evidence.jsonl"
    env = {**os.environ, "RELIABILITY_LOG": str(evidence)}
    command = [sys.executable, "-m", "pytest", *OWN_SUITES, *suites(OWN_SUITES)]
    command += [f"--junitxml={junit}", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)
    lines = evidence.read_text(encoding="utf-8").splitlines() if evidence.exists() else []
    return read_junit(junit), [json.loads(line) for line in lines], done.returncode


def read_junit(path: Path) -> list[Outcome]:
    outcomes = []
    for case in ET.parse(path).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        test = f"{module}.py::{case.get('name')}"
        status = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            status = "failed"
        elif case.find("skipped") is not None:
            status = "skipped"
        outcomes.append(Outcome(test, status, float(case.get("time", 0))))
    return outcomes


def read_results(workdir: Path) -> tuple[list[Outcome], list[dict[str, Any]]]:
    lines = (workdir / "evidence.jsonl").read_text(encoding="utf-8").splitlines()
    return read_junit(workdir / "junit.xml"), [json.loads(line) for line in lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability")
    parser.add_argument("--render", action="store_true", help="only render the last run again")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.render:
        (outcomes, evidence), code = read_results(RESULTS), 0
    else:
        shutil.rmtree(RESULTS, ignore_errors=True)
        RESULTS.mkdir(parents=True)
        outcomes, evidence, code = run_suites(RESULTS)
    soak = json.loads(SOAK.read_text()) if SOAK.exists() else None
    described = machine.describe(settings.es_hosts[0])
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = render(outcomes, evidence, (FAULTS, CHECKS), soak, described, stamp)
    REPORT.write_text(report.text, encoding="utf-8")
    failed = [o.test for o in outcomes if o.status == "failed"]
    print(
        f"wrote {REPORT.relative_to(ROOT)}: {len(outcomes)} tests, {len(failed)} failed, "
        f"{report.lost} records lost, {report.unmeasured} fault tests passed unmeasured"
    )
    bad = failed or report.lost or report.unmeasured
    return 1 if bad or code not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
