"""`.env` is read as docker compose reads it, so the CLI and the containers see the same values.

The expected values are compose's: its documented syntax (docs.docker.com/compose/env-file/) and,
for the corners the page leaves open, what compose-go's dotenv parser does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trials.dotenv import read_dotenv
from trials.settings import Settings, SettingsError

LINES = [
    # inline comments: only after a space in an unquoted value
    ("TRIALS_ADMIN_TOKEN=abc # prod token", "abc"),
    ("K=abc#not-a-comment", "abc#not-a-comment"),
    ("K=abc\t#after-a-tab", "abc\t#after-a-tab"),  # compose cuts at a space and #, not a tab
    ("K=a # one # two", "a"),
    ("K=  spaced value   ", "spaced value"),
    ("K=", ""),
    ("K=a=b=c", "a=b=c"),
    ("  K = padded", "padded"),
    ("export K=exported", "exported"),
    ("K=some\\tvalue", "some\\tvalue"),  # backslashes are literal unquoted
    ("K=한국어 값", "한국어 값"),
    # double quotes: # kept inside, escapes expanded, a comment may follow the closing quote
    ('K="abc # not a comment"', "abc # not a comment"),
    ('K="abc" # comment', "abc"),
    ('K=""', ""),
    ('K=" kept spaces "', " kept spaces "),
    ('K="{\\"hello\\": \\"json\\"}"', '{"hello": "json"}'),
    ('K="some\\tvalue"', "some\tvalue"),
    ('K="two\\nlines"', "two\nlines"),
    ('K="back\\\\slash"', "back\\slash"),
    ('K="it\'s"', "it's"),
    # single quotes: literal, except an escaped single quote
    ("K='abc' # comment", "abc"),
    ("K='a \"b\" #c'", 'a "b" #c'),
    ("K='some\\tvalue'", "some\\tvalue"),
    ("K='Let\\'s go!'", "Let's go!"),
    ("K='$NOT_EXPANDED ${EITHER}'", "$NOT_EXPANDED ${EITHER}"),
    # $$ is a literal $ where compose interpolates
    ("K=pa$$word", "pa$word"),
    ('K="pa\\$word"', "pa$word"),
]


@pytest.mark.parametrize(("line", "value"), LINES)
def test_a_line_reads_as_compose_reads_it(tmp_path: Path, line: str, value: str) -> None:
    path = tmp_path / ".env"
    path.write_text(f"# a comment\n\n{line}\nAFTER=next line\n", encoding="utf-8")
    key = line.strip().removeprefix("export ").split("=")[0].strip()
    assert read_dotenv(path, {}) == {key: value, "AFTER": "next line"}


def test_comments_blank_lines_and_a_bare_key_set_nothing(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("# K=commented\n   # K=indented comment\n\n   \nBARE\n", encoding="utf-8")
    assert read_dotenv(path, {}) == {}


def test_quoted_values_may_span_lines(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "CERT=\"first line\nsecond # line\"  # comment\nRAW='a\n  b'\nNEXT=after\n",
        encoding="utf-8",
    )
    assert read_dotenv(path, {}) == {
        "CERT": "first line\nsecond # line",
        "RAW": "a\n  b",
        "NEXT": "after",
    }


def test_references_take_the_environment_then_the_lines_above(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "\n".join(
            [
                "HOST=from-file",
                "PORT=9200",
                "URL=http://${HOST}:$PORT",
                'QUOTED="${PORT}/x"',
                "DEFAULTED=${MISSING:-fallback}",
                "EMPTY=",
                "COLON_DEFAULT=${EMPTY:-used}",
                "DASH_DEFAULT=${EMPTY-unused}",
                "ALTERNATIVE=${PORT:+set}",
                "NO_ALTERNATIVE=${MISSING:+set}",
                "UNSET=[${MISSING}]",
                "NESTED=${MISSING:-$PORT}",
            ]
        ),
        encoding="utf-8",
    )
    assert read_dotenv(path, {"HOST": "from-env"}) == {
        "HOST": "from-file",
        "PORT": "9200",
        "URL": "http://from-env:9200",
        "QUOTED": "9200/x",
        "DEFAULTED": "fallback",
        "EMPTY": "",
        "COLON_DEFAULT": "used",
        "DASH_DEFAULT": "",
        "ALTERNATIVE": "set",
        "NO_ALTERNATIVE": "",
        "UNSET": "[]",
        "NESTED": "9200",
    }


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('A=1\nTOKEN="never closed\nB=2\n', "line 2: TOKEN: the opening quote is never closed"),
        ("A=1\nnot a pair\n", "line 2: expected KEY=VALUE"),
        ("A=${\n", "line 1: A: invalid ${…} reference"),
        ("A=${B:?B must be set}\n", "line 1: A: B must be set"),
    ],
)
def test_what_compose_refuses_is_refused_with_its_line(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="line") as caught:
        read_dotenv(path, {})
    assert str(caught.value) == f"{path}, {reason}"


def test_settings_read_the_dotenv_as_compose_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        "TRIALS_ADMIN_TOKEN=abc # prod token\nTRIALS_API_PORT=8181 # dev port\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    for name in ("TRIALS_ADMIN_TOKEN", "TRIALS_API_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert (settings.admin_token, settings.api_port) == ("abc", 8181)


def test_a_malformed_dotenv_is_a_settings_error_that_keeps_the_value_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("TRIALS_ADMIN_TOKEN='hunter2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match=r"\.env, line 1: TRIALS_ADMIN_TOKEN") as caught:
        Settings.from_env()
    assert "hunter2" not in str(caught.value)
