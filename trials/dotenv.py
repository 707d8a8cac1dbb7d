"""Reading an optional `.env` file as docker compose reads it, so `trials` on the host and the
containers agree on every value.

Compose's documented syntax (docs.docker.com/compose/env-file/), with the corners the page
leaves open decided as compose-go's dotenv parser decides them:

- blank lines and lines starting with `#` are skipped; `export ` may precede a key; a bare
  `KEY` line takes the key from the environment (which wins over `.env` here anyway);
- unquoted values lose surrounding blanks; a comment starts at a space followed by `#`;
  backslashes are literal;
- 'single-quoted' values are literal except for `\\'`; "double-quoted" values expand
  `\\n \\r \\t \\a \\b \\f \\v \\\\ \\" \\$`; both may span lines and may be followed by a comment;
- unquoted and double-quoted values interpolate `$NAME`, `${NAME}`, `${NAME:-default}`,
  `${NAME-default}`, `${NAME:+alt}`, `${NAME+alt}`, `${NAME:?error}` and `${NAME?error}`
  (names from the environment first, then from the lines above); `$$` is a literal `$`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeAlias

_Lookup: TypeAlias = Callable[[str], str | None]
_KEY = r"(?:export\s+)?([A-Za-z0-9_.\-\[\]]+)"
_ASSIGNMENT = re.compile(_KEY + r"[ \t]*=[ \t]*")
_BARE_KEY = re.compile(_KEY + r"\s*")
_QUOTES = ("'", '"')
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPES |= {"\\": "\\", '"': '"', "$": "$$"}  # `\$` stays literal through interpolation
_REFERENCE = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<named>[A-Za-z_][A-Za-z0-9_]*)"
    r"|\{(?:(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+?])(?P<arg>[^}]*))?\}|(?P<invalid>)))"
)


class DotenvError(ValueError):
    """A `.env` that compose would refuse too; the message names the file, line and key, never
    the value (it may be a secret)."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}, line {line}: {reason}")


def read_dotenv(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of the `.env` file at `path` ({} when there is none); references look
    in `environ` first (`trials.settings` passes the process environment)."""
    if not path.is_file():
        return {}
    return parse_dotenv(path.read_text(encoding="utf-8"), environ, str(path))


def parse_dotenv(text: str, environ: Mapping[str, str], source: str = ".env") -> dict[str, str]:
    values: dict[str, str] = {}
    for number, key, raw in _assignments(text, source):
        try:
            values[key] = _value(raw, lambda name: environ.get(name, values.get(name)))
        except ValueError as exc:
            raise DotenvError(source, number, f"{key}: {exc}") from None
    return values


def _assignments(text: str, source: str) -> Iterator[tuple[int, str, str]]:
    """(line number, key, raw value) of each assignment; a quoted raw value runs from its
    opening to its closing quote, across lines if need be."""
    lines = enumerate(text.split("\n"), start=1)
    for number, line in lines:
        statement = line.strip()
        if not statement or statement.startswith("#") or _BARE_KEY.fullmatch(statement):
            continue
        found = _ASSIGNMENT.match(statement)
        if found is None:
            raise DotenvError(source, number, "expected KEY=VALUE")
        raw = line.lstrip()[found.end() :]
        if raw[:1] in _QUOTES:
            while (end := _closing_quote(raw)) is None:
                following = next(lines, None)
                if following is None:
                    reason = f"{found[1]}: the opening quote is never closed"
                    raise DotenvError(source, number, reason)
                raw += "\n" + following[1]
            raw = raw[: end + 1]  # what follows the closing quote is a comment or blank
        yield number, found[1], raw


def _closing_quote(raw: str) -> int | None:
    escaped = False
    for i, char in enumerate(raw[1:], start=1):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == raw[0]:
            return i
    return None


def _value(raw: str, lookup: _Lookup) -> str:
    if raw[:1] == "'":
        return re.sub(r"\\(.)", lambda m: m[1] if m[1] == "'" else m[0], raw[1:-1], flags=re.S)
    if raw[:1] == '"':
        body = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[0]), raw[1:-1], flags=re.S)
        return _interpolate(body, lookup)
    return _interpolate(raw.split(" #", 1)[0].rstrip(), lookup)


def _interpolate(text: str, lookup: _Lookup) -> str:
    return _REFERENCE.sub(lambda m: _substitute(m, lookup), text)


def _substitute(m: re.Match[str], lookup: _Lookup) -> str:
    if m["escaped"]:
        return "$"
    if m["named"]:
        return lookup(m["named"]) or ""
    if m["braced"] is None:
        raise ValueError("invalid ${…} reference")
    found, op = lookup(m["braced"]), m["op"] or ""
    missing = found is None or (op.startswith(":") and found == "")
    if op.endswith("-") and missing:
        return _interpolate(m["arg"], lookup)
    if op.endswith("+"):
        return "" if missing else _interpolate(m["arg"], lookup)
    if op.endswith("?") and missing:
        raise ValueError(m["arg"] or f"{m['braced']} is required")
    return found or ""
