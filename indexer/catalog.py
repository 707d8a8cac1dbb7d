"""Which sources exist and how each is built from the settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from indexer.http import RegistryClient
from indexer.sources.base import Source
from indexer.sources.cris import CrisSource
from indexer.sources.ctgov import CtgovSource
from indexer.sources.demo import DemoSource
from indexer.sources.icreat import IcreatSource
from trials.launcher import SOURCE_NAMES, UnknownSource
from trials.settings import Settings

REAL_SOURCES = ("icreat", "cris", "ctgov")


def default_sources(settings: Settings) -> tuple[str, ...]:
    """The real registries when a data.go.kr key is set, else the synthetic demo."""
    return REAL_SOURCES if settings.data_go_kr_key else ("demo",)


def check_names(names: list[str] | tuple[str, ...]) -> None:
    unknown = [n for n in names if n not in SOURCE_NAMES]
    if unknown:
        raise UnknownSource(
            f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCE_NAMES)}"
        )


def build_source(
    name: str,
    settings: Settings,
    client_for: Callable[[str], RegistryClient],
    *,
    since: date | None = None,
    page_size: int | None = None,
    demo_count: int = 300,
) -> Source:
    """`since` makes the sources that can fetch incrementally (ctgov) do so."""
    check_names([name])
    if name == "icreat":
        return IcreatSource(
            client_for(name), settings.icreat_url, settings.data_go_kr_key, page_size or 500
        )
    if name == "cris":
        return CrisSource(
            client_for(name), settings.cris_url, settings.data_go_kr_key, page_size or 50
        )
    if name == "ctgov":
        return CtgovSource(
            client_for(name), settings.ctgov_url, settings.ctgov_query, page_size or 200, since
        )
    return DemoSource(count=demo_count)
