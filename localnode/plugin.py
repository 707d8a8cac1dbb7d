"""Build our Korean analysis plugin with Maven and install it into the node, when needed.

The plugin lives in `korean-analysis/` of the source checkout. It is rebuilt when any of its
sources is newer than the built zip, and reinstalled when the installed copy differs.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from localnode import runas
from localnode.errors import LocalNodeError
from localnode.layout import Layout
from localnode.maven import run_maven
from localnode.progress import Say
from localnode.versions import ES_VERSION, LUCENE_VERSION, PLUGIN_NAME, PLUGIN_VERSION

SOURCE_DIR = Path(__file__).resolve().parents[1] / "korean-analysis"


def built_zip(source_dir: Path = SOURCE_DIR) -> Path:
    return source_dir / "target" / f"{PLUGIN_NAME}-{PLUGIN_VERSION}.zip"


def _newest_source(source_dir: Path) -> float:
    files = [source_dir / "pom.xml", *(p for p in (source_dir / "src").rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in files)


def needs_build(source_dir: Path = SOURCE_DIR) -> bool:
    zip_path = built_zip(source_dir)
    return not zip_path.is_file() or zip_path.stat().st_mtime < _newest_source(source_dir)


def build(
    es_home: Path, java_home: Path, source_dir: Path = SOURCE_DIR, say: Say = lambda _: None
) -> Path:
    """`mvn package` (which runs the plugin's Java tests) against this node's own jars."""
    if not (source_dir / "pom.xml").is_file():
        raise LocalNodeError(f"plugin sources not found at {source_dir}; run from a checkout")
    args = [
        "-f",
        str(source_dir / "pom.xml"),
        f"-Des.home={es_home}",
        f"-Des.version={ES_VERSION}",
        f"-Dlucene.version={LUCENE_VERSION}",
        "package",
    ]
    run_maven(
        args,
        java_home,
        "building the Korean analysis plugin failed",
        say,
        "building the Korean analysis plugin (with its tests)",
    )
    return built_zip(source_dir)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _marker(es_home: Path) -> Path:
    # Beside the install, not inside the plugin folder, which belongs to Elasticsearch.
    return es_home.parent / f"{es_home.name}.{PLUGIN_NAME}.sha256"


def installed_digest(es_home: Path) -> str | None:
    marker = _marker(es_home)
    plugged = (es_home / "plugins" / PLUGIN_NAME).is_dir()
    return marker.read_text().strip() if plugged and marker.is_file() else None


def install(layout: Layout, zip_path: Path, java_home: Path) -> bool:
    """Install `zip_path` unless the same build is installed; True when it (re)installed."""
    digest = sha256(zip_path)
    if installed_digest(layout.es_home) == digest:
        return False
    staged = layout.root / zip_path.name  # readable by the node's user, unlike a work tree
    shutil.copyfile(zip_path, staged)
    runas.chown_tree(layout.root, layout.run_as)
    env = {"ES_JAVA_HOME": str(java_home), "ES_PATH_CONF": str(layout.config_dir)}
    tool = str(layout.es_home / "bin" / "elasticsearch-plugin")
    if (layout.es_home / "plugins" / PLUGIN_NAME).exists():
        _run(runas.command([tool, "remove", PLUGIN_NAME], layout.run_as, env))
    _run(runas.command([tool, "install", "--batch", staged.as_uri()], layout.run_as, env))
    _marker(layout.es_home).write_text(digest + "\n")
    return True


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LocalNodeError(
            f"`{' '.join(cmd[-3:])}` failed:\n{(done.stdout + done.stderr).strip()}"
        )
