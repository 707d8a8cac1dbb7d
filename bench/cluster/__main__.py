"""Run the cluster tests (tests/cluster: a private three-node cluster, node kills during a
sync, under API load and of the master) with a junit report and a figures log, and write their
section of bench/SCALE.md. Exits non-zero when a test failed or a record was lost. Usage:
    .venv/bin/python -m bench.cluster
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.cluster.render import Outcome, merged, section
from bench.reliability import machine
from trials.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "bench" / "SCALE.md"


def run_tests(workdir: Path) -> tuple[list[Outcome], list[dict[str, Any]], int]:
    junit, log = workdir / "junit.xml", workdir / "figures.jsonl"
    env = {**os.environ, "CLUSTER_LOG": str(log)}
    command = [sys.executable, "-m", "pytest", "tests/cluster", f"--junitxml={junit}", "-q"]
    done = subprocess.run([*command, "-p", "no:cacheprovider"], cwd=ROOT, env=env, check=False)
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return read_junit(junit), [json.loads(line) for line in lines], done.returncode


def read_junit(path: Path) -> list[Outcome]:
    if not path.exists():
        return []
    outcomes = []
    for case in ET.parse(path).getroot().iter("testcase"):
        status = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            status = "failed"
        elif case.find("skipped") is not None:
            status = "skipped"
        outcomes.append(Outcome(str(case.get("name")), status, float(case.get("time", 0))))
    return outcomes


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        outcomes, evidence, code = run_tests(Path(tmp))
    started = next((e for e in evidence if e.get("test") == "cluster start"), {})
    described = machine.describe(Settings.from_env().es_hosts[0], started.get("elasticsearch"))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    existing = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    REPORT.write_text(merged(existing, section(outcomes, evidence, described, stamp)), "utf-8")
    failed = [o.test for o in outcomes if o.status != "passed"]
    lost = sum(int(line.get("lost") or 0) for line in evidence)
    print(
        f"wrote {REPORT.relative_to(ROOT)}: {len(outcomes)} tests, {len(failed)} not passed, "
        f"{lost} records lost"
    )
    return 1 if failed or lost or code != 0 or not outcomes else 0


if __name__ == "__main__":
    sys.exit(main())
