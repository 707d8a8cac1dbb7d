"""The package works installed from a wheel (as the image installs it), not only from the
checkout: mappings and Kibana objects are package data, read through the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import kibana, mappings
from kibana.saved_objects import load_objects
from mappings import load
print(kibana.__file__)
print(len(load_objects()))
print(sorted(load("trials").body))
from trials.concepts.vocabulary import load as vocabulary
print(len(vocabulary()))
"""


def test_a_wheel_install_carries_its_data_and_reads_nothing_beside_it(tmp_path: Path) -> None:
    built = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(built), str(REPO)], check=True)
    wheel = next(built.glob("trials-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "kibana/saved_objects.ndjson" in names
    assert "mappings/trials.json" in names
    assert "trials/concepts/vocabulary.json" in names
    assert not [n for n in names if n.startswith(("tests/", "testkit/", "bench/"))]
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shown = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=elsewhere,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shown[0].startswith(str(site))
    assert int(shown[1]) > 0
    assert "mappings" in shown[2]
    assert int(shown[3]) >= 500
