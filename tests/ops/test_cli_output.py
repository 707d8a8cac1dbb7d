"""What `trials` prints, as a person or a script sees it: `trials` runs as a child process
against the real node with an index prefix of its own. Tables on stdout are aligned; `--json`
puts exactly one JSON document on stdout; progress and messages go to stderr; the exit codes are
the README's (0 ok, 1 the job failed, 2 usage or configuration, 141 reader gone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.indexing import RUNS_HEADER, summary_columns
from localnode.versions import ES_VERSION
from testkit.children import child_env, trials_executable
from testkit.elastic_node import free_port
from trials.settings import Settings

TIMEOUT_S = 120


def trials(
    args: list[str], env: dict[str, str], cwd: Path, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [trials_executable(), *args],
        env=env,
        cwd=cwd,  # no stray ./.env
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="module")
def prefix(settings: Settings) -> Iterator[str]:
    """A prefix of this module's own (under the session's), its indices deleted afterwards."""
    own = f"{settings.index_prefix}cli-out-{uuid.uuid4().hex[:6]}-"
    yield own
    request = urllib.request.Request(
        f"{settings.es_hosts[0]}/{own}*?allow_no_indices=true", method="DELETE"
    )
    urllib.request.urlopen(request, timeout=30).close()


@pytest.fixture(scope="module")
def env(settings: Settings, prefix: str) -> dict[str, str]:
    return child_env(settings.es_hosts[0], prefix)


@pytest.fixture(scope="module")
def indexed(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`trials es init`, then `trials index --source demo --json` once; its parsed document."""
    cwd = tmp_path_factory.mktemp("cwd")
    assert trials(["es", "init"], env, cwd).returncode == 0
    done = trials(["index", "--source", "demo", "--json"], env, cwd)
    assert done.returncode == 0, done.stderr
    assert "demo 300 records" in done.stderr  # progress still shows, on stderr
    document: dict[str, Any] = json.loads(done.stdout)  # stdout is that document and no more
    return document


def test_index_json_is_one_document_with_each_sources_run(indexed: dict[str, Any]) -> None:
    assert indexed["ok"] is True
    (run,) = indexed["sources"]
    assert (run["source"], run["status"], run["message"]) == ("demo", "completed", None)
    assert run["run_id"].startswith("demo-")
    assert set(summary_columns()) <= set(run["counts"])
    assert (run["counts"]["fetched"], run["counts"]["created"]) == (300, 300)
    assert run["duration_s"] > 0


def test_runs_is_an_aligned_table_with_the_run_of_index(
    indexed: dict[str, Any], env: dict[str, str], tmp_path: Path
) -> None:
    done = trials(["runs", "--source", "demo"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == list(RUNS_HEADER)
    (row,) = rows
    run_id = indexed["sources"][0]["run_id"]
    assert row.startswith(f"{run_id}  ")
    # Each left-aligned value starts under its heading.
    for column, value in (("source", "demo"), ("trigger", "cli"), ("status", "completed")):
        at = header.index(column)
        assert row[at:].startswith(value), (column, row)
    started = row[header.index("started") :].split()[0]
    assert len(started) == len("2026-12-02T03:00:01Z")
    assert started.endswith("Z")
    # `seconds` is right-aligned: its value ends where its heading ends.
    end = header.index("seconds") + len("seconds")
    assert row[:end].split()[-1] == f"{indexed['sources'][0]['duration_s']:.1f}"
    assert "fetched=300 created=300" in row


def test_runs_json_lists_the_sync_log_documents(
    indexed: dict[str, Any], env: dict[str, str], tmp_path: Path
) -> None:
    done = trials(["runs", "--json", "--limit", "5"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    (run,) = json.loads(done.stdout)["runs"]
    assert run["run_id"] == indexed["sources"][0]["run_id"]
    assert (run["source"], run["status"], run["trigger"]) == ("demo", "completed", "cli")
    assert run["counts"]["created"] == 300


def test_runs_with_none_yet_says_so_on_stderr_and_json_is_an_empty_list(
    indexed: dict[str, Any], env: dict[str, str], tmp_path: Path
) -> None:
    done = trials(["runs", "--source", "cris"], env, tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.strip() == "no sync runs yet"
    done = trials(["runs", "--source", "cris", "--json"], env, tmp_path)
    assert (done.returncode, json.loads(done.stdout)) == (0, {"runs": []})


def test_the_summary_shows_the_record_counts_in_order_and_not_history() -> None:
    assert summary_columns() == (
        *("fetched", "created", "updated", "unchanged", "renormalized"),
        *("stale", "rejected", "failed", "removed", "restored"),
    )


def test_index_table_has_the_summary_header(
    indexed: dict[str, Any], env: dict[str, str], tmp_path: Path
) -> None:
    done = trials(["index", "--source", "demo"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.split() == ["source", "status", *summary_columns(), "seconds"]
    assert row.split()[:3] == ["demo", "completed", "300"]
    # counts are right-aligned: each ends where its heading ends
    end = header.index("unchanged") + len("unchanged")
    assert row[:end].split()[-1] == "300"


def test_a_failed_source_exits_1_and_json_says_which(
    indexed: dict[str, Any], env: dict[str, str], tmp_path: Path
) -> None:
    broken = {
        **env,
        "TRIALS_DATA_GO_KR_KEY": "some-key",
        "TRIALS_ICREAT_URL": "http://127.0.0.1:9/unreachable",
        "TRIALS_HTTP_RETRIES": "0",
    }
    done = trials(["index", "--source", "icreat", "--source", "demo", "--json"], broken, tmp_path)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert document["ok"] is False
    assert [(s["source"], s["status"]) for s in document["sources"]] == [
        ("icreat", "failed"),
        ("demo", "completed"),
    ]
    assert "ClientConnectorError" in document["sources"][0]["message"]
    assert "trials: icreat failed:" in done.stderr


@pytest.mark.parametrize(
    "args",
    [["runs", "--limit", "0"], ["runs", "--source", "pubmed"], ["nonsense"], ["index", "--jsn"]],
)
def test_usage_errors_exit_2(args: list[str], env: dict[str, str], tmp_path: Path) -> None:
    done = trials(args, env, tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr


def test_a_bad_setting_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    done = trials(["runs", "--json"], {**env, "TRIALS_LOG_LEVEL": "loud"}, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert "TRIALS_LOG_LEVEL" in done.stderr


@pytest.mark.parametrize("args", [["config"], ["es", "stop"]])
def test_a_reader_that_leaves_early_gets_exit_141_and_no_traceback(
    args: list[str], tmp_path: Path
) -> None:
    """A long output (config's table) and a one-line one (stop on a home with no node: the
    line waits in the buffer until exit, as it does unless PYTHONUNBUFFERED is set)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    env.pop("PYTHONUNBUFFERED", None)
    env.update(TRIALS_ES_HOME=str(tmp_path), TRIALS_ES_PORT=str(free_port()))
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that has already gone
    try:
        done = trials(args, env, tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


def _local_status_env(es_url: str, home: Path) -> dict[str, str]:
    """`trials es status` reads the local node at 127.0.0.1:TRIALS_ES_PORT (TRIALS_ES_URL unset)."""
    url = urllib.parse.urlsplit(es_url)
    assert url.hostname in ("127.0.0.1", "localhost"), f"the session's node is not local: {es_url}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    return {**env, "TRIALS_ES_PORT": str(url.port), "TRIALS_ES_HOME": str(home)}


def test_es_status_json_and_table(es_url: str, tmp_path: Path) -> None:
    env = _local_status_env(es_url, tmp_path)
    done = trials(["es", "status", "--json"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["version"] == ES_VERSION
    assert status["health"] in ("green", "yellow")
    assert {"trials-korean-analysis", "analysis-nori"} & set(status["plugins"])
    assert status["heap_max_mb"] > 0

    table = trials(["es", "status"], env, tmp_path)
    assert table.returncode == 0, table.stderr
    lines = dict(line.split("  ", 1) for line in table.stdout.splitlines())
    shown = {label: value.strip() for label, value in lines.items()}
    assert shown["version"] == ES_VERSION
    assert shown["plugins"] == ", ".join(status["plugins"])
    assert shown["heap max (MiB)"] == str(status["heap_max_mb"])
    width = table.stdout.splitlines()[0].index(status["url"])
    assert all(line[width - 2 : width] == "  " for line in table.stdout.splitlines())


def test_node_progress_goes_to_stderr_while_maven_is_slow(tmp_path: Path) -> None:
    """`trials es install` with a slow `mvn` that downloads nothing: a heartbeat line with the
    elapsed time and Maven's latest line on stderr, nothing on stdout, and exit 1."""
    fake = tmp_path / "bin" / "mvn"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\n"
        "import time\n"
        "print('Downloading from central: https://repo/elasticsearch.zip', flush=True)\n"
        "time.sleep(6.5)\n"
        "print('[ERROR] Could not resolve the artifact', flush=True)\n"
        "raise SystemExit(1)\n"
    )
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    env.update(PATH=f"{fake.parent}{os.pathsep}{env['PATH']}", TRIALS_ES_HOME=str(tmp_path / "es"))
    done = trials(["es", "install"], env, tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert "trials: fetching Elasticsearch with Maven (first run only)…" in lines
    beats = [
        line for line in lines if line.startswith("trials: fetching Elasticsearch with Maven … ")
    ]
    assert beats, done.stderr
    assert beats[0].endswith("s (Downloading from central: https://repo/elasticsearch.zip)")
    assert "[ERROR] Could not resolve the artifact" in done.stderr
