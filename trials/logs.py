"""Logging set-up for every `trials` process: one handler on the root logger, on stderr.

`text` (the default) is for people: `2026-11-27T00:20:51Z INFO trials.sync: message key=value`.
`json` is one object per line for collectors: `ts`, `level`, `logger`, `message`, any `extra`
fields (`run_id`, `source`, `status`, ...), and `error` with the traceback. Secret values are
masked in both, so a registry key that ends up in a URL or exception text is never written.

A record's `_in_message` names the extras its message already shows (the access log's
method, path, status ...): text leaves them out, JSON keeps them as fields. `log_context`
adds fields to every line logged inside it, by any logger, in that task and the tasks it
starts (a sync run's `run_id` and `source`).

Library code only asks for loggers; `configure_logging` is called once by the CLI.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import quote, quote_plus

import orjson

from trials.settings import SECRET_FIELDS, Settings

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
# The Elasticsearch client narrates every request at INFO; our own lines say what matters.
_CHATTY = ("elastic_transport",)
_MASK = "***"
_CONTEXT: ContextVar[tuple[tuple[str, Any], ...]] = ContextVar("trials_log_context", default=())


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Every line logged inside carries `fields` (unless the call gives its own value)."""
    token = _CONTEXT.set(tuple({**dict(_CONTEXT.get()), **fields}.items()))
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def _add_context(record: logging.LogRecord) -> bool:
    for key, value in _CONTEXT.get():
        if key not in record.__dict__:
            setattr(record, key, value)
    return True


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """The `extra=` fields of a record, in the order they were given."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Masking(logging.Formatter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Also the URL-encoded forms: keys travel in query strings.
        found = {form for s in secrets if s for form in (s, quote(s, safe=""), quote_plus(s))}
        self._secrets = sorted(found, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        return text


class TextFormatter(_Masking):
    """`<UTC time> <LEVEL> <logger>: <message> key=value ...` plus the traceback, if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        shown = getattr(record, "_in_message", ())
        pairs = " ".join(
            f"{k}={_text_value(v)}" for k, v in extras(record).items() if k not in shown
        )
        if pairs:
            line = f"{line} {pairs}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return self.mask(line)


class JsonFormatter(_Masking):
    """One JSON object per line; values that JSON cannot hold are written with `str()`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in extras(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        text = orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
        return self.mask(text)


def _text_value(value: Any) -> str:
    text = str(value)
    return repr(text) if (" " in text or not text) else text


class _TrialsHandler(logging.StreamHandler[TextIO]):
    """The handler we own (configuring twice replaces it instead of doubling lines). Without an
    explicit stream it writes to whatever `sys.stderr` is at the time, so redirection and test
    capture that swap stderr later still get every line."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(stream)
        self._follow_stderr = stream is None

    def emit(self, record: logging.LogRecord) -> None:
        if self._follow_stderr:
            self.stream = sys.stderr
        super().emit(record)


def secret_values(settings: Settings) -> list[str]:
    values = (getattr(settings, name) for name in sorted(SECRET_FIELDS))
    return [str(value) for value in values if value]


def configure_logging(
    level: str = "info",
    fmt: str = "text",
    *,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Install (or replace) the one `trials` handler on the root logger and return it."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _TrialsHandler)]:
        root.removeHandler(old)
    handler = _TrialsHandler(stream)
    handler.addFilter(_add_context)
    handler.setFormatter(JsonFormatter(secrets) if fmt == "json" else TextFormatter(secrets))
    root.addHandler(handler)
    root.setLevel(level.upper())
    chatty_level = logging.DEBUG if level.lower() == "debug" else logging.WARNING
    for name in _CHATTY:
        logging.getLogger(name).setLevel(chatty_level)
    _record_only_what_is_written()
    return handler


def _record_only_what_is_written() -> None:
    """Records without the caller's file and line, thread or process: neither format writes
    them, and finding them was most of a record's making (the logging HOWTO's "Optimization";
    the API writes a record for every request)."""
    logging._srcfile = None  # no stack walk for the caller
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
