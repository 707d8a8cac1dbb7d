"""The one settings object, and the only place that reads the environment.

Every variable is `TRIALS_*`. `Settings.from_env()` validates all of them and reports every bad
one at once (`SettingsError`), so an operator fixes a configuration in one pass.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from trials.dotenv import DotenvError, read_dotenv

DEFAULT_ICREAT_URL = (
    "https://api.odcloud.kr/api/3074271/v1/uddi:cfc19dda-6f75-4c57-86a8-bb9c8b103887"
)
DEFAULT_CRIS_URL = "https://apis.data.go.kr/1352159/crisinfodataview"
DEFAULT_CTGOV_URL = "https://clinicaltrials.gov/api/v2"
DEFAULT_CTGOV_QUERY = "query.locn=South Korea"

SECRET_FIELDS = frozenset(
    {"data_go_kr_key", "admin_token", "es_api_key", "es_password", "cursor_secret"}
)


class SettingsError(ValueError):
    """One or more TRIALS_* variables are invalid; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))
        self.problems = problems


def _text(raw: str) -> str:
    return raw.strip()


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 < value < 65536:
        raise ValueError("expected a TCP port 1-65535")
    return value


def _positive(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a positive integer")
    return value


def _non_negative(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("expected 0 or a positive integer")
    return value


def _float_positive(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError("expected a positive number")
    return value


def _urls(raw: str) -> tuple[str, ...]:
    urls = tuple(u.strip().rstrip("/") for u in raw.split(",") if u.strip())
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"expected http(s) URLs, got {url!r}")
    return urls


def _url(raw: str) -> str:
    (url,) = _urls(raw) or ("",)
    if not url:
        raise ValueError("expected an http(s) URL")
    return url


def _origins(raw: str) -> tuple[str, ...]:
    """Browser origins (`scheme://host[:port]`, no path), or `*` for any."""
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if origin != "*" and (scheme not in ("http", "https") or not rest or "/" in rest):
            raise ValueError(f"expected origins such as https://app.example.org, got {origin!r}")
    return origins


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value

    return parse


def _path(raw: str) -> Path | None:
    return Path(raw).expanduser() if raw.strip() else None


def _cron(raw: str) -> str:
    value = " ".join(raw.split())
    if len(value.split(" ")) != 5:
        raise ValueError("expected a 5-field cron expression such as '0 3 * * *'")
    return value


def _unknown(env: Mapping[str, str], known: set[str]) -> dict[str, str]:
    """A misspelt TRIALS_* variable would otherwise be ignored without a word."""
    problems = {}
    for name in sorted(n for n in env if n.startswith("TRIALS_") and n not in known):
        close = difflib.get_close_matches(name, known, n=1)
        problems[name] = "unknown setting" + (f"; did you mean {close[0]}?" if close else "")
    return problems


def _index_prefix(raw: str) -> str:
    value = raw.strip().lower()
    if value and not all(c.isalnum() or c in "-_" for c in value):
        raise ValueError("expected lowercase letters, digits, '-' or '_'")
    return value


def _env(
    name: str,
    parse: Callable[[str], Any],
    default: Any,
    doc: str,
    *,
    empty_is_a_value: bool = False,
) -> Any:
    """A dataclass field read from `TRIALS_<NAME>`; the metadata drives parsing and the docs.
    A variable set but empty means the default (compose passes every variable, set or not),
    unless `empty_is_a_value`: then unset means the default and empty is parsed as given."""
    metadata = {"env": name, "parse": parse, "doc": doc, "empty_is_a_value": empty_is_a_value}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    es_urls: tuple[str, ...] = _env(
        "TRIALS_ES_URL", _urls, (), "Elasticsearch URL(s), comma-separated; empty = the local node"
    )
    es_port: int = _env("TRIALS_ES_PORT", _port, 9200, "HTTP port of the local node")
    es_home: Path | None = _env(
        "TRIALS_ES_HOME", _path, None, "Where the local node is unpacked and keeps its data"
    )
    es_api_key: str = _env("TRIALS_ES_API_KEY", _text, "", "Elasticsearch API key (secret)")
    es_username: str = _env("TRIALS_ES_USERNAME", _text, "", "Elasticsearch basic-auth user")
    es_password: str = _env("TRIALS_ES_PASSWORD", _text, "", "Elasticsearch password (secret)")
    es_ca_certs: Path | None = _env("TRIALS_ES_CA_CERTS", _path, None, "CA bundle for TLS")
    es_timeout_s: float = _env(
        "TRIALS_ES_TIMEOUT", _float_positive, 30.0, "Elasticsearch request timeout, seconds"
    )
    index_prefix: str = _env(
        "TRIALS_INDEX_PREFIX", _index_prefix, "", "Prefix for every index and alias name"
    )
    index_shards: int = _env("TRIALS_INDEX_SHARDS", _positive, 1, "Primary shards of new indices")
    index_replicas: int = _env(
        "TRIALS_INDEX_REPLICAS", int, 0, "Replicas of new indices (0 on a single node)"
    )
    data_go_kr_key: str = _env(
        "TRIALS_DATA_GO_KR_KEY", _text, "", "data.go.kr service key, used as given (secret)"
    )
    icreat_url: str = _env("TRIALS_ICREAT_URL", _url, DEFAULT_ICREAT_URL, "iCReaT dataset URL")
    cris_url: str = _env("TRIALS_CRIS_URL", _url, DEFAULT_CRIS_URL, "CRIS API base URL")
    ctgov_url: str = _env("TRIALS_CTGOV_URL", _url, DEFAULT_CTGOV_URL, "ClinicalTrials.gov v2 base")
    ctgov_query: str = _env(
        "TRIALS_CTGOV_QUERY",
        _text,
        DEFAULT_CTGOV_QUERY,
        "Query string selecting CT.gov studies; set but empty = every study (the whole registry)",
        empty_is_a_value=True,
    )
    http_timeout_s: float = _env(
        "TRIALS_HTTP_TIMEOUT", _float_positive, 30.0, "Registry request timeout, seconds"
    )
    http_retries: int = _env("TRIALS_HTTP_RETRIES", int, 5, "Retries on timeouts, 429 and 5xx")
    schedule: str = _env(
        "TRIALS_SCHEDULE", _cron, "0 3 * * *", "Cron for `trials schedule` (Asia/Seoul)"
    )
    full_schedule: str = _env(
        "TRIALS_FULL_SCHEDULE",
        _cron,
        "0 3 * * 0",
        "Cron of the full reads that find trials removed upstream (`trials schedule`)",
    )
    cris_detail_max_age_days: int = _env(
        "TRIALS_CRIS_DETAIL_MAX_AGE_DAYS",
        _positive,
        7,
        "Days within which each CRIS detail is read again, a slice of the trials each day",
    )
    cris_detail_rereads_per_run: int = _env(
        "TRIALS_CRIS_DETAIL_REREADS_PER_RUN",
        _non_negative,
        2000,
        "CRIS details read again at most per run (new or changed trials are always read); "
        "keep it within the portal's daily quota",
    )
    api_host: str = _env("TRIALS_API_HOST", _text, "127.0.0.1", "Address `trials serve` binds")
    api_port: int = _env("TRIALS_API_PORT", _port, 8080, "Port `trials serve` binds")
    admin_token: str = _env(
        "TRIALS_ADMIN_TOKEN", _text, "", "Bearer token for admin endpoints; empty disables them"
    )
    cursor_secret: str = _env(
        "TRIALS_CURSOR_SECRET",
        _text,
        "",
        "Key signing API page cursors; empty = random per process (cursors die on restart)",
    )
    cors_origins: tuple[str, ...] = _env(
        "TRIALS_CORS_ORIGINS",
        _origins,
        (),
        "Browser origins allowed to call the API (CORS), comma-separated, or *; empty = CORS off",
    )
    log_level: str = _env(
        "TRIALS_LOG_LEVEL", _choice("debug", "info", "warning", "error"), "info", "Log level"
    )
    log_format: str = _env("TRIALS_LOG_FORMAT", _choice("text", "json"), "text", "text or json")
    kibana_url: str = _env(
        "TRIALS_KIBANA_URL", _url, "http://127.0.0.1:5601", "Kibana for `trials kibana import`"
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from `env` (default: the process environment over an optional ./.env);
        SettingsError lists every bad variable."""
        if env is None:
            try:
                env = environment()
            except DotenvError as exc:
                raise SettingsError([str(exc)]) from exc
        values, problems = _read(env)
        if problems:
            raise SettingsError([_problem(name, env[name], why) for name, why in problems.items()])
        return cls(**values)

    def __repr__(self) -> str:
        shown = (f"{f.name}={self._shown(f.name)}" for f in fields(self))
        return f"Settings({', '.join(shown)})"

    def _shown(self, name: str) -> str:
        value = getattr(self, name)
        return "'***'" if name in SECRET_FIELDS and value else repr(value)

    @property
    def local_es_url(self) -> str:
        return f"http://127.0.0.1:{self.es_port}"

    @property
    def es_hosts(self) -> tuple[str, ...]:
        return self.es_urls or (self.local_es_url,)


_SETTING_OF = {f.metadata["env"]: f.name for f in fields(Settings)}


def environment() -> dict[str, str]:
    """The process environment over an optional ./.env (the environment wins, as in compose);
    DotenvError when the file is malformed."""
    return {**read_dotenv(Path(".env"), os.environ), **os.environ}


def _read(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The parsed values by field name, and what is wrong by variable name (all at once)."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for f in fields(Settings):
        name, raw = f.metadata["env"], env.get(f.metadata["env"])
        if raw is None or (raw.strip() == "" and not _parses_empty(f)):
            continue
        try:
            values[f.name] = f.metadata["parse"](raw)
        except ValueError as exc:
            problems[name] = str(exc)
    problems.update(_unknown(env, set(_SETTING_OF)))
    return values, problems


def _parses_empty(f: Field[Any]) -> bool:
    return bool(f.metadata["empty_is_a_value"]) or f.default in ("", None, ())


def _problem(name: str, raw: str, why: str) -> str:
    if name not in _SETTING_OF:
        return f"{name}: {why}"
    shown = "<redacted>" if _SETTING_OF[name] in SECRET_FIELDS else repr(raw)
    return f"{name}={shown}: {why}"


@dataclass(frozen=True)
class SetVariable:
    """A TRIALS_* variable as set, for `trials config`: its value as it may be shown (a
    secret as `***`; None for an unknown variable, which may be a misspelt secret) and what is
    wrong with it ("" when nothing)."""

    name: str
    shown: str | None
    problem: str


def set_variables(env: Mapping[str, str]) -> list[SetVariable]:
    """Every TRIALS_* variable `env` sets: the settings in their order, then unknown ones."""
    _, problems = _read(env)
    names = [n for n in _SETTING_OF if n in env] + [n for n in problems if n not in _SETTING_OF]
    return [SetVariable(n, _shown_raw(n, env[n]), problems.get(n, "")) for n in names]


def _shown_raw(name: str, raw: str) -> str | None:
    if name not in _SETTING_OF:
        return None
    return "***" if _SETTING_OF[name] in SECRET_FIELDS and raw else raw
