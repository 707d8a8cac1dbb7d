"""The one table of registries: what each is called, how its ids look, how it can be read and
which settings it uses. Every list of sources (the CLI's choices, the API's filters, the detail
endpoint's id formats, the indexer's catalog and defaults) is derived from it.

Shared core: read by both `indexer` and `service`, so it imports neither. The class that reads a
registry is bound to its row in `indexer/catalog.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RegistrySettings:
    """Names of the `trials.settings.Settings` fields a registry reads (None: it has none)."""

    url: str | None = None
    key: str | None = None
    query: str | None = None


@dataclass(frozen=True)
class Registry:
    name: str  # the `source` of its documents and the first half of their id
    label: str
    id_pattern: str  # the registry's own id, upper-case, as a full-match regular expression
    incremental: bool  # can fetch only what changed since the last run
    real: bool  # False for generated data (the demo)
    settings: RegistrySettings
    page_size: int | None  # records asked for a page unless a run says otherwise

    @property
    def needs_key(self) -> bool:
        return self.settings.key is not None

    def owns_id(self, registry_id: str) -> bool:
        """Whether `registry_id` (any letter case) is written in this registry's format."""
        return re.fullmatch(self.id_pattern, registry_id.upper()) is not None


_DATA_GO_KR_KEY = "data_go_kr_key"

_TABLE = (
    Registry(
        name="icreat",
        label="iCReaT clinical research tasks",
        id_pattern=r"C\d{6}",
        incremental=False,
        real=True,
        settings=RegistrySettings(url="icreat_url", key=_DATA_GO_KR_KEY),
        page_size=500,
    ),
    Registry(
        name="cris",
        label="CRIS, Clinical Research Information Service (Korea)",
        id_pattern=r"KCT\d{7}",
        incremental=False,
        real=True,
        settings=RegistrySettings(url="cris_url", key=_DATA_GO_KR_KEY),
        page_size=50,
    ),
    Registry(
        name="ctgov",
        label="ClinicalTrials.gov",
        id_pattern=r"NCT\d{8}",
        incremental=True,
        real=True,
        settings=RegistrySettings(url="ctgov_url", query="ctgov_query"),
        page_size=1000,  # the API's maximum
    ),
    Registry(
        name="demo",
        label="Synthetic demo trials",
        id_pattern=r"DEMO-\d{6,}",  # `demo_id` pads to six digits, more past 999999
        incremental=False,
        real=False,
        settings=RegistrySettings(),
        page_size=None,
    ),
)

REGISTRIES: dict[str, Registry] = {registry.name: registry for registry in _TABLE}
SOURCE_NAMES: tuple[str, ...] = tuple(REGISTRIES)
REAL_SOURCES: tuple[str, ...] = tuple(r.name for r in _TABLE if r.real)
SYNTHETIC_SOURCES: tuple[str, ...] = tuple(r.name for r in _TABLE if not r.real)


def registry_of_id(registry_id: str) -> Registry | None:
    """The registry whose id format `registry_id` is written in, if any."""
    return next((r for r in _TABLE if r.owns_id(registry_id)), None)
