"""The one settings object: defaults, parsing, and every bad variable reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from trials.dotenv import read_dotenv
from trials.es import client_options
from trials.settings import Settings, SettingsError


def test_defaults_point_at_the_local_node() -> None:
    settings = Settings.from_env({})
    assert settings.es_hosts == ("http://127.0.0.1:9200",)
    assert settings.index_prefix == ""


def test_port_and_urls_are_parsed() -> None:
    settings = Settings.from_env(
        {"TRIALS_ES_PORT": "9311", "TRIALS_CRIS_URL": "http://127.0.0.1:1/cris/"}
    )
    assert settings.es_hosts == ("http://127.0.0.1:9311",)
    assert settings.cris_url == "http://127.0.0.1:1/cris"


def test_every_bad_variable_is_reported_at_once_and_secrets_are_redacted() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                "TRIALS_ES_PORT": "99999",
                "TRIALS_LOG_FORMAT": "xml",
                "TRIALS_ES_URL": "ftp://x",
                "TRIALS_HTTP_TIMEOUT": "-1",
            }
        )
    assert len(caught.value.problems) == 4
    assert "TRIALS_ES_PORT" in str(caught.value)


def test_secrets_never_appear_in_repr() -> None:
    settings = Settings.from_env({"TRIALS_DATA_GO_KR_KEY": "s3cr3t", "TRIALS_ADMIN_TOKEN": "t0k"})
    assert "s3cr3t" not in repr(settings)
    assert "t0k" not in repr(settings)


def test_cluster_settings_become_client_options() -> None:
    settings = Settings.from_env(
        {
            "TRIALS_ES_URL": "https://a:9200,https://b:9200",
            "TRIALS_ES_API_KEY": "k",
            "TRIALS_ES_CA_CERTS": "/etc/ca.pem",
        }
    )
    options = client_options(settings)
    assert options["hosts"] == ["https://a:9200", "https://b:9200"]
    assert options["api_key"] == "k"
    assert options["ca_certs"] == "/etc/ca.pem"


def test_schedule_must_be_a_five_field_cron() -> None:
    assert Settings.from_env({"TRIALS_SCHEDULE": " 30  2 * * 1 "}).schedule == "30 2 * * 1"
    with pytest.raises(SettingsError, match="TRIALS_SCHEDULE"):
        Settings.from_env({"TRIALS_SCHEDULE": "daily"})


def test_dotenv_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        "# local overrides\nTRIALS_API_PORT=8181\nexport TRIALS_LOG_FORMAT='json'\n"
        'TRIALS_INDEX_PREFIX="dev-"\n'
    )
    monkeypatch.chdir(tmp_path)
    for name in ("TRIALS_API_PORT", "TRIALS_LOG_FORMAT", "TRIALS_INDEX_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRIALS_INDEX_PREFIX", "env-")
    settings = Settings.from_env()
    assert (settings.api_port, settings.log_format) == (8181, "json")
    assert settings.index_prefix == "env-"
    assert read_dotenv(tmp_path / "missing", {}) == {}


def test_a_misspelt_variable_is_reported_with_the_likely_name() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"TRIALS_ES_TIMEOUT_S": "5", "TRIALS_API_PORT": "8081"})
    assert caught.value.problems == [
        "TRIALS_ES_TIMEOUT_S: unknown setting; did you mean TRIALS_ES_TIMEOUT?"
    ]
