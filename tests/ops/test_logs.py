"""Logs: JSON lines with extras, readable text, secrets never written, nothing at import time."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from cli import main
from trials.logs import configure_logging, secret_values
from trials.settings import Settings

from .conftest import REPO

KEY = "Abc+def/ghi=="  # shaped like a data.go.kr key: characters that URL encoding changes


def _logged(fmt: str, emit: str = "info", secrets: tuple[str, ...] = ()) -> str:
    stream = io.StringIO()
    configure_logging("info", fmt, secrets=secrets, stream=stream)
    log = logging.getLogger("trials.test")
    getattr(log, emit)("run finished: %d created", 3, extra={"run_id": "r-1", "source": "cris"})
    return stream.getvalue()


def test_json_lines_parse_and_carry_extras() -> None:
    (line,) = _logged("json").splitlines()
    entry = json.loads(line)
    assert entry["message"] == "run finished: 3 created"
    assert (entry["level"], entry["logger"]) == ("info", "trials.test")
    assert (entry["run_id"], entry["source"]) == ("r-1", "cris")
    assert entry["ts"].endswith("Z")


def test_json_carries_the_traceback_and_odd_values() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    try:
        raise ValueError("bad record")
    except ValueError:
        logging.getLogger("trials.sink").exception("rejected", extra={"file": Path("/tmp/x")})
    entry = json.loads(stream.getvalue())
    assert "ValueError: bad record" in entry["error"]
    assert entry["file"] == "/tmp/x"


def test_text_is_one_readable_line_with_key_values() -> None:
    text = _logged("text")
    assert text.count("\n") == 1
    assert " INFO trials.test: run finished: 3 created run_id=r-1 source=cris" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_level_filters_and_reconfiguring_does_not_double_lines() -> None:
    stream = io.StringIO()
    configure_logging("info", "text", stream=stream)
    configure_logging("warning", "text", stream=stream)
    log = logging.getLogger("trials.test")
    log.info("hidden")
    log.warning("shown")
    assert stream.getvalue().count("shown") == 1
    assert "hidden" not in stream.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secrets_are_masked_raw_and_url_encoded(fmt: str) -> None:
    settings = Settings.from_env({"TRIALS_DATA_GO_KR_KEY": KEY, "TRIALS_ADMIN_TOKEN": "tok-123"})
    stream = io.StringIO()
    configure_logging("info", fmt, secrets=secret_values(settings), stream=stream)
    log = logging.getLogger("trials.test")
    log.error("GET https://apis.data.go.kr/x?serviceKey=%s failed", quote(KEY, safe=""))
    log.error("settings %r, key %s", settings, KEY, extra={"token": "tok-123"})
    written = stream.getvalue()
    for secret in (KEY, quote(KEY, safe=""), "tok-123"):
        assert secret not in written
    assert written.count("***") >= 3


def test_importing_trials_logs_configures_nothing() -> None:
    code = "import logging, trials.logs, cli; print(len(logging.getLogger().handlers))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0"


def test_cli_configures_json_logging_from_settings(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("TRIALS_LOG_FORMAT", "json")
    clean_env.setenv("TRIALS_LOG_LEVEL", "warning")
    assert main(["config"]) == 0
    logging.getLogger("trials.test").warning("after start-up", extra={"source": "ctgov"})
    entry = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert (entry["message"], entry["source"], entry["level"]) == (
        "after start-up",
        "ctgov",
        "warning",
    )


def test_default_stream_follows_stderr_when_it_is_swapped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure_logging("info", "text")
    later = io.StringIO()
    monkeypatch.setattr(sys, "stderr", later)
    logging.getLogger("trials.test").info("after the swap")
    assert "after the swap" in later.getvalue()
