"""Hostile query strings and paths against `trials serve` running as its own process: each
gets a 4xx problem (or a normal answer, when the input is plain text that simply matches
nothing), never a 5xx, within a safety bound; and nothing reaching the node can run a script
or an expensive pattern query (checked on the wire, through the recording proxy)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.hostile.api import Api
from tests.hostile.checks import assert_nothing_dangerous_sent, assert_refused_cleanly
from tests.hostile.conftest import Served

T = "/api/v1/trials"
R = "/api/v1/trials/recent"
LUCENE = 'title:(위암 OR cancer) AND NOT x~2 "a"^3 [1 TO 2] {a TO b} /.*/ \\ + - && || ! * ? :'


def q(text: str) -> str:
    return f"{T}?q={quote(text, safe='')}"


# (label, path, expected status): plain text that is valid gets 200 and means only itself
PLAIN_TEXT = [
    ("lucene syntax", q(LUCENE), 200),
    ("lone star", q("*"), 200),
    ("regexp-looking", q("/.*a.*/"), 200),
    ("wildcards and fuzz", q("canc?r* diab~2"), 200),
    ("unbalanced double quote", q('"위암 환자'), 200),
    ("unbalanced single quote", q("'; DROP TABLE trials; --"), 200),
    ("unbalanced brackets", q("((((] {{ [[ )"), 200),
    ("json in q", q('{"script": {"source": "1"}}'), 200),
    ("script field name", q("_script:doc['x'].value"), 200),
    ("only spaces", q("   "), 200),
    ("control characters", q("\x00\x01\x1b[2J"), 200),
    ("institution wildcard", f"{T}?institution=*", 200),
    ("department wildcard", f"{T}?department=*", 200),
    ("department regexp", f"{T}?department={quote('.*')}", 200),
]
REFUSED = [
    ("q over 500 characters", q("가" * 501), 400),
    ("q of 3,000 characters", q("a" * 3000), 400),
    ("21 repeated sources", f"{T}?" + "&".join(["source=cris"] * 21), 400),
    ("2,000 repeated phases", f"{T}?" + "&".join(["phase=x"] * 2000), 400),
    ("2,000 repeated limits (first wins)", f"{T}?" + "&".join(["limit=5"] * 2000), 200),
    ("unknown source", f"{T}?source=pubmed", 400),
    ("source path", f"{T}?source={quote('../../etc/passwd', safe='')}", 400),
    ("sort by script", f"{T}?sort=_script", 400),
    ("sort by a field", f"{T}?sort=title", 400),
    ("limit not a number", f"{T}?limit=abc", 400),
    ("limit float", f"{T}?limit=1.5", 400),
    ("limit exponent", f"{T}?limit=1e3", 400),
    ("limit hex", f"{T}?limit=0x10", 400),
    ("limit NaN", f"{T}?limit=NaN", 400),
    ("limit Infinity", f"{T}?limit=Infinity", 400),
    ("limit zero", f"{T}?limit=0", 400),
    ("limit negative", f"{T}?limit=-5", 400),
    ("limit huge", f"{T}?limit=99999999999999999999999999", 400),
    ("offset negative", f"{T}?offset=-1", 400),
    ("offset huge", f"{T}?offset=99999999999999999999", 400),
    ("offset past the window", f"{T}?offset=9990&limit=20", 400),
    ("empty limit", f"{T}?limit=", 400),
    ("boolean not boolean", f"{T}?include_removed=maybe", 400),
    ("date 30 February", f"{T}?updated_from=2026-02-30", 400),
    ("date words", f"{T}?registered_from=yesterday", 400),
    ("hour 25", f"{T}?updated_from=2026-02-03T25:00", 400),
    ("offset +25:00", f"{T}?updated_from={quote('2026-02-03T09:00:00+25:00')}", 400),
    ("zone name", f"{T}?updated_from={quote('2026-02-03T09:00:00[Asia/Seoul]')}", 400),
    ("zone abbreviation", f"{T}?updated_from={quote('2026-02-03T09:00:00 KST')}", 400),
    ("start after end", f"{T}?updated_from=2026-02-04&updated_to=2026-02-03", 400),
    ("whole last day ends past datetime.max", f"{T}?updated_to=9999-12-31", 400),
    ("first representable day", f"{T}?registered_from=0001-01-01", 200),
    ("recent before year 1", f"{R}?updated_to=0001-01-01", 400),
    ("recent unknown change", f"{R}?change=deleted", 400),
    ("recent to the end of time", f"{R}?updated_to=9999-12-31", 400),
    ("empty cursor", f"{T}?cursor=", 400),
    ("forged cursor", f"{T}?cursor=abc.def", 400),
    ("not base64 cursor", f"{T}?cursor={quote('!!!.???')}", 400),
    ("cursor and offset", f"{T}?cursor=*&offset=5", 400),
    ("cursor over 4 KiB", f"{T}?cursor={'A' * 5000}", 400),
    ("unknown parameter", f"{T}?script=1", 400),
]
IDS = [
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f_cluster%2fhealth",
    "cris:..%2F..%2F_cluster%2Fsettings",
    "icreat:%2F_search",
    "cris:_all",
    "_all",
    "*",
    "a:b:c",
    "%00",
    "x" * 201,
    "x" * 10_000,
    "C130010%27%20OR%20%271%27%3D%271",
]


@pytest.mark.parametrize(("label", "path", "status"), PLAIN_TEXT + REFUSED)
def test_hostile_parameters(served: Served, label: str, path: str, status: int) -> None:
    since = len(served.proxy.sent)
    reply = served.api.get(path)
    assert_refused_cleanly(reply, len(path))
    assert reply.status == status, (label, reply.body[:300])
    if status == 400:
        assert reply.json()["errors"], label  # names the offending parameter
    assert_nothing_dangerous_sent(served, since)


def test_a_100000_character_q_is_a_problem_naming_q(api: Api) -> None:
    reply = api.get(q("가" * 100_000))  # 900 KB once encoded
    assert_refused_cleanly(reply, 100_000)
    assert reply.status == 400
    assert [e["name"] for e in reply.json()["errors"]] == ["q"]


def test_3000_repeated_parameters_are_refused(api: Api) -> None:
    path = f"{T}?" + "&".join(["source=icreat"] * 3000)
    reply = api.get(path)
    assert_refused_cleanly(reply, len(path))
    assert reply.status == 400
    assert [e["name"] for e in reply.json()["errors"]] == ["source"]


@pytest.mark.parametrize("trial_id", IDS)
def test_path_traversal_and_odd_ids_are_404(served: Served, trial_id: str) -> None:
    since = len(served.proxy.sent)
    reply = served.api.get(f"{T}/{trial_id}")
    assert_refused_cleanly(reply, len(trial_id))
    assert reply.status == 404, reply.body[:300]
    assert_nothing_dangerous_sent(served, since)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/trials/../../../etc/passwd",
        "/api/v1/../../etc/passwd",
        "/api/v1/sync-runs/..%2F..%2F_cluster%2Fsettings",
        "/api/v1/sync-runs/%2A",
        "/api/docs/static/..%2F..%2F..%2Fpyproject.toml",
        "/api/docs/static/../../../../etc/passwd",
    ],
)
def test_traversal_outside_the_api_finds_nothing(served: Served, path: str) -> None:
    since = len(served.proxy.sent)
    reply = served.api.get(path)
    assert_refused_cleanly(reply, len(path))
    assert reply.status in (400, 403, 404), reply.status
    assert b"[project]" not in reply.body
    assert b"root:" not in reply.body
    assert_nothing_dangerous_sent(served, since)
