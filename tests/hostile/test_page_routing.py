"""What the service asks of the node for pages, read at the recording proxy: every offset page
of one search (its count too) names the same shard copies (`preference`), so a cluster's
copies, which may order equal scores apart, never split one search's pages; another search may
go to other copies, and a cursor walk names none (its point in time holds its copies)."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from tests.hostile.conftest import Served

DEMO, TRIAL = quote("데모"), quote("임상")


def preferences(served: Served, since: int) -> list[str | None]:
    """The `preference` of each search sent since `since` (None when it names none)."""
    found: list[str | None] = []
    for sent in served.proxy.sent[since:]:
        parts = urlsplit(sent.path)
        if parts.path.endswith("/_search"):
            found.append(parse_qs(parts.query).get("preference", [None])[0])
    return found


def pages(served: Served, query: str, offsets: range) -> list[str | None]:
    since = len(served.proxy.sent)
    for offset in offsets:
        reply = served.api.get(f"/api/v1/trials?{query}&limit=5&offset={offset}")
        assert reply.status == 200, reply.body
    return preferences(served, since)


def test_every_offset_page_of_a_search_names_the_same_copies(served: Served) -> None:
    first = pages(served, f"q={DEMO}&sort=relevance", range(0, 20, 5))
    assert len(first) >= 4  # a search a page, and its count where the answer was not kept
    assert len(set(first)) == 1
    assert str(first[0]).startswith("search-")
    again = pages(served, f"sort=relevance&q={DEMO}", range(20, 30, 5))  # the same search
    assert set(again) == set(first)
    other = pages(served, f"q={TRIAL}", range(0, 10, 5))
    assert len(set(other)) == 1
    assert set(other) != set(first)


def test_a_cursor_walk_names_no_copies(served: Served) -> None:
    since = len(served.proxy.sent)
    reply = served.api.get(f"/api/v1/trials?q={DEMO}&limit=5&cursor=*")
    assert reply.status == 200, reply.body
    sent = preferences(served, since)
    assert sent
    assert set(sent) == {None}
