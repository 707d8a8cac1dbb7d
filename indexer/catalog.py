"""Which class reads each registry of the table (`trials.registries`), and how it is built from
the settings the table names for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from indexer.http import RegistryClient
from indexer.sources.base import Source
from indexer.sources.cris import CrisSource
from indexer.sources.ctgov import CtgovSource
from indexer.sources.demo import DemoSource
from indexer.sources.icreat import IcreatSource
from trials.launcher import UnknownSource
from trials.registries import REAL_SOURCES, REGISTRIES, SOURCE_NAMES, SYNTHETIC_SOURCES, Registry
from trials.settings import Settings


@dataclass(frozen=True)
class Wiring:
    """What a factory builds a source from: its row, the values of the settings the row names,
    a client, and the run's choices."""

    registry: Registry
    settings: Settings
    client_for: Callable[[str], RegistryClient]
    since: date | None  # only given to incremental registries
    page_size: int | None
    demo_count: int

    def client(self) -> RegistryClient:
        return self.client_for(self.registry.name)

    def setting(self, field: str | None) -> str:
        return str(getattr(self.settings, field)) if field else ""

    @property
    def url(self) -> str:
        return self.setting(self.registry.settings.url)

    @property
    def key(self) -> str:
        return self.setting(self.registry.settings.key)

    @property
    def query(self) -> str:
        return self.setting(self.registry.settings.query)

    @property
    def per_page(self) -> int:
        chosen = self.page_size or self.registry.page_size
        if chosen is None:  # a table row without a page size whose factory asks for one
            raise ValueError(f"{self.registry.name}: no page size in the registry table")
        return chosen


Factory = Callable[[Wiring], Source]

FACTORIES: dict[str, Factory] = {
    "icreat": lambda w: IcreatSource(w.client(), w.url, w.key, w.per_page),
    "cris": lambda w: CrisSource(w.client(), w.url, w.key, w.per_page),
    "ctgov": lambda w: CtgovSource(w.client(), w.url, w.query, w.per_page, w.since),
    "demo": lambda w: DemoSource(count=w.demo_count),
}


def default_sources(settings: Settings) -> tuple[str, ...]:
    """The real registries when the keys they need are set, else the synthetic demo."""
    keys = {REGISTRIES[name].settings.key for name in REAL_SOURCES} - {None}
    have_keys = all(getattr(settings, str(key)) for key in keys)
    return REAL_SOURCES if have_keys else SYNTHETIC_SOURCES


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
    """`since` makes the registries that can fetch incrementally do so; the others ignore it."""
    check_names([name])
    registry = REGISTRIES[name]
    since = since if registry.incremental else None
    wiring = Wiring(registry, settings, client_for, since, page_size, demo_count)
    return FACTORIES[name](wiring)
