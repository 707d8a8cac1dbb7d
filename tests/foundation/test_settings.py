"""The one settings object: defaults, parsing, and every bad variable reported at once."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest

from cli import main
from trials.dotenv import read_dotenv
from trials.es import client_options
from trials.settings import SECRET_FIELDS, Settings, SettingsError


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


# One distinctive value per secret setting, and plain values that must stay visible.
SECRETS = {
    "TRIALS_ADMIN_TOKEN": "adm1n-T0ken-2f9c",
    "TRIALS_DATA_GO_KR_KEY": "dgk%2BKey%3D%3D-77a1",
    "TRIALS_ES_API_KEY": "ZXMtYXBpLWtleS04ZDJl",
    "TRIALS_ES_PASSWORD": "es-Pa55w0rd-41b0",
    "TRIALS_CURSOR_SECRET": "curs0r-S3cret-c6d3",
}
PLAIN = {
    "TRIALS_ES_USERNAME": "elastic-op-5e1",
    "TRIALS_INDEX_PREFIX": "stage-7c2-",
    "TRIALS_CTGOV_QUERY": "query.cond=diabetes-9f4",
    "TRIALS_API_HOST": "10.1.2.3",
}


def test_every_bad_variable_is_reported_at_once_and_secrets_are_redacted() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                **SECRETS,
                "TRIALS_ES_PORT": "99999",
                "TRIALS_LOG_FORMAT": "xml",
                "TRIALS_ES_URL": "ftp://x",
                "TRIALS_HTTP_TIMEOUT": "-1",
                "TRIALS_ADMIN_TOKN": "misspelt-S3cret-0a8",  # a secret under a wrong name
            }
        )
    assert len(caught.value.problems) == 5
    assert "TRIALS_ES_PORT" in str(caught.value)
    assert "TRIALS_ADMIN_TOKN: unknown setting" in str(caught.value)
    for secret in [*SECRETS.values(), "misspelt-S3cret-0a8"]:
        assert secret not in str(caught.value)


def test_secrets_never_appear_in_repr_str_or_the_config_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_names = {f.metadata["env"] for f in fields(Settings) if f.name in SECRET_FIELDS}
    assert set(SECRETS) == secret_names  # every secret setting is given a value
    settings = Settings.from_env({**SECRETS, **PLAIN})
    assert {getattr(settings, f.name) for f in fields(Settings) if f.name in SECRET_FIELDS} == set(
        SECRETS.values()
    )  # the secrets did reach the settings
    for name in [n for n in os.environ if n.startswith("TRIALS_")]:
        monkeypatch.delenv(name)
    for name, value in {**SECRETS, **PLAIN}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert main(["config"]) == 0
    config = capsys.readouterr()
    for shown in (repr(settings), str(settings), config.out + config.err):
        for secret in SECRETS.values():
            assert secret not in shown
        for value in PLAIN.values():
            assert value in shown


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


def test_an_empty_ctgov_query_means_every_study_and_an_unset_one_the_korea_subset() -> None:
    assert Settings.from_env({}).ctgov_query == "query.locn=South Korea"
    assert Settings.from_env({"TRIALS_CTGOV_QUERY": ""}).ctgov_query == ""
    assert Settings.from_env({"TRIALS_CTGOV_QUERY": "  "}).ctgov_query == ""
    chosen = {"TRIALS_CTGOV_QUERY": " query.cond=asthma "}
    assert Settings.from_env(chosen).ctgov_query == "query.cond=asthma"
    # other settings keep their rule: set but empty is their default
    assert Settings.from_env({"TRIALS_HTTP_RETRIES": ""}).http_retries == Settings().http_retries


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TRIALS_CTGOV_QUERY=\n", ""),
        ("TRIALS_CTGOV_QUERY=''\n", ""),
        ('TRIALS_CTGOV_QUERY="" # every study\n', ""),
        ("# TRIALS_CTGOV_QUERY=\n", "query.locn=South Korea"),
        ("TRIALS_CTGOV_QUERY\n", "query.locn=South Korea"),  # a bare key: from the environment
    ],
)
def test_the_ctgov_query_keeps_empty_and_unset_apart_in_a_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, expected: str
) -> None:
    (tmp_path / ".env").write_text(line)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIALS_CTGOV_QUERY", raising=False)
    assert Settings.from_env().ctgov_query == expected
