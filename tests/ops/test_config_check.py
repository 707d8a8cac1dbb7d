"""`trials config` is what people run to find out what is wrong with their configuration: with a
bad variable it still prints the table, marks what is wrong and why, and exits 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli.ops import markdown_table
from testkit.children import child_env, trials_executable

ADMIN_TOKEN = "adm1n-t0ken-never-shown"
MISSPELT_SECRET = "misspelt-s3cret-never-shown"


def trials_config(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = child_env("http://127.0.0.1:9200", "dev-", **settings)
    return subprocess.run(
        [trials_executable(), "config"],
        env=env,
        cwd=tmp_path,  # its own ./.env, if any
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def rows_set(stdout: str) -> dict[str, list[str]]:
    """The cells of the rows after the documentation table, by variable name."""
    after = stdout.removeprefix(markdown_table())
    return {
        cells[0].strip("`"): cells[1:]
        for line in after.splitlines()
        if line.startswith("| `")
        for cells in [[c.strip() for c in line.strip("|").split(" | ")]]
    }


def test_bad_variables_are_marked_with_the_reason_and_the_command_exits_2(tmp_path: Path) -> None:
    done = trials_config(
        tmp_path,
        TRIALS_API_PORT="abc",
        TRIALS_LOG_FORMAT="xml",
        TRIALS_ADMIN_TOKEN=ADMIN_TOKEN,
        TRIALS_ADMIN_TOKN=MISSPELT_SECRET,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    assert done.stdout.startswith(markdown_table())
    rows = rows_set(done.stdout)
    assert rows["TRIALS_API_PORT"] == [
        "`abc`",
        "**invalid**: invalid literal for int() with base 10: 'abc'",
    ]
    assert rows["TRIALS_LOG_FORMAT"] == ["`xml`", "**invalid**: expected one of text, json"]
    assert rows["TRIALS_ADMIN_TOKN"] == [
        "(not read)",
        "**invalid**: unknown setting; did you mean TRIALS_ADMIN_TOKEN?",
    ]
    assert rows["TRIALS_ADMIN_TOKEN"] == ["`***`", "ok"]
    assert rows["TRIALS_ES_URL"] == ["`http://127.0.0.1:9200`", "ok"]
    assert rows["TRIALS_INDEX_PREFIX"] == ["`dev-`", "ok"]
    (line,) = done.stderr.splitlines()
    assert line == (
        "trials: invalid configuration: TRIALS_API_PORT, TRIALS_LOG_FORMAT, TRIALS_ADMIN_TOKN"
        " (marked above)"
    )
    for secret in (ADMIN_TOKEN, MISSPELT_SECRET):
        assert secret not in done.stdout + done.stderr


def test_a_good_configuration_exits_0_and_shows_what_is_set(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TRIALS_API_PORT=8181 # from .env\n", encoding="utf-8")
    done = trials_config(tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    rows = rows_set(done.stdout)
    assert rows["TRIALS_API_PORT"] == ["`8181`", "ok"]
    assert rows["TRIALS_ES_URL"] == ["`http://127.0.0.1:9200`", "ok"]


def test_a_malformed_dotenv_still_prints_the_table_and_names_the_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TRIALS_LOG_LEVEL=info\nTRIALS_ADMIN_TOKEN='{ADMIN_TOKEN}\n")
    done = trials_config(tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert done.stdout == markdown_table()
    (line,) = done.stderr.splitlines()
    assert line == "trials: .env, line 2: TRIALS_ADMIN_TOKEN: the opening quote is never closed"
    assert ADMIN_TOKEN not in done.stdout + done.stderr
