"""`trials runs` and `trials reindex` as an operator runs them: with the node down or an index
missing, one line naming the problem on stderr and exit code 1, never a traceback."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch

from testkit.children import child_env, trials_executable
from testkit.elastic_node import free_port
from trials.settings import Settings


def trials(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [trials_executable(), *args],
        env=env,
        cwd=cwd,  # no stray ./.env
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", [["runs"], ["reindex"]])
def test_with_the_node_down_one_line_and_exit_1(command: list[str], tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done = trials(command, child_env(url, "down-"), tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"trials: Elasticsearch at {url} is unreachable"), line
    assert done.stdout == ""


@pytest.mark.parametrize(("command", "missing"), [(["runs"], "sync-log"), (["reindex"], "")])
async def test_with_an_index_missing_one_line_and_exit_1(
    command: list[str],
    missing: str,
    settings: Settings,
    es: AsyncElasticsearch,
    tmp_path: Path,
) -> None:
    prefix = f"{settings.index_prefix}none-{uuid.uuid4().hex[:6]}-"  # nothing was created here
    alias = f"{prefix}trials" + (f"-{missing}" if missing else "")
    env = child_env(settings.es_hosts[0], prefix)
    done = await asyncio.to_thread(trials, command, env, tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("trials: "), line
    assert f"{alias} does not exist" in line, line
    assert "trials es init" in line
    created = await es.indices.get(index=f"{prefix}*", allow_no_indices=True)
    assert list(created) == []  # reindex created nothing to fill an empty index from
