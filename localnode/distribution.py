"""Fetch Elastic's integ-test distribution with Maven (its cache is the only download path)
and unpack it once."""

from __future__ import annotations

import stat
import tempfile
import zipfile
from pathlib import Path

from localnode.errors import LocalNodeError
from localnode.maven import run_maven
from localnode.progress import Say
from localnode.versions import ES_ARTIFACT, ES_VERSION

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"


def fetch_zip(dest_dir: Path, java_home: Path, say: Say = lambda _: None) -> Path:
    """Copy the distribution zip out of the Maven cache, downloading it into the cache first."""
    args = [
        f"{DEPENDENCY_PLUGIN}:copy",
        f"-Dartifact={ES_ARTIFACT}",
        f"-DoutputDirectory={dest_dir}",
    ]
    failure = f"Maven could not resolve {ES_ARTIFACT}"
    run_maven(args, java_home, failure, say, "fetching Elasticsearch with Maven", tail_lines=8)
    zip_path = dest_dir / f"elasticsearch-{ES_VERSION}.zip"
    if not zip_path.is_file():
        raise LocalNodeError(f"Maven reported success but {zip_path} is missing")
    return zip_path


def unpack(zip_path: Path, into: Path) -> Path:
    """Unpack atomically (temp dir, then rename) so a killed unpack never looks complete."""
    target = into / f"elasticsearch-{ES_VERSION}"
    with (
        tempfile.TemporaryDirectory(dir=into, prefix=".unpack-") as tmp,
        zipfile.ZipFile(zip_path) as archive,
    ):
        for member in archive.infolist():
            extracted = Path(archive.extract(member, tmp))
            mode = member.external_attr >> 16
            if mode and not member.is_dir():
                extracted.chmod(stat.S_IMODE(mode))
        (Path(tmp) / target.name).rename(target)
    return target


def ensure_distribution(root: Path, java_home: Path, say: Say = lambda _: None) -> Path:
    """The unpacked node folder, fetching and unpacking it on first use."""
    home = root / f"elasticsearch-{ES_VERSION}"
    if (home / "lib").is_dir():
        return home
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".download-") as tmp:
        return unpack(fetch_zip(Path(tmp), java_home, say), root)
