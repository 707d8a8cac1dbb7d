"""Page-number paging's one trap: a page the gateway cut short. With a data.go.kr development
key the gateway serves page 1 with 10 rows whatever `page` and `perPage` ask (API_NOTES §1.1),
so paging on by `page * perPage >= totalCount` would stop after one page and call it the end,
and paging on regardless would read page 1 again and again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Served:
    """One page as asked for and as answered: the envelope echoes the page and its size
    (`page`/`perPage`, `pageNo`/`numOfRows`) where the gateway sends them."""

    page: int
    asked: int
    rows: int
    total: int | None
    echoed_page: int | None = None
    echoed_size: int | None = None


def capped(served: Served) -> str | None:
    """Why the read must stop at this page, when the gateway served another page or a smaller
    one than asked while the registry reports more; None otherwise. Without an echo, a page
    short of what was asked before the reported end says it. An empty page ends the read as
    before: the run's count of records tells it short."""
    page, asked, rows, total = served.page, served.asked, served.rows, served.total
    if total is None or rows == 0 or (page - 1) * asked + rows >= total:
        return None
    if served.echoed_size is not None or served.echoed_page is not None:
        if served.echoed_size in (None, asked) and served.echoed_page in (None, page):
            return None
    elif rows >= asked:
        return None
    shown = f"page {served.echoed_page or page} of {served.echoed_size or rows} rows"
    return (
        f"asked for page {page} of {asked} rows, the gateway served {shown}, short of the "
        f"{total} records the registry reports: it caps pages (a data.go.kr development key "
        "is served page 1 of 10 rows), so the read stopped there"
    )


def echoed(value: object) -> int | None:
    """A number the envelope echoes (as a number or as digits), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
