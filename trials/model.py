"""The trial document shared by the indexer (writer) and the service (reader).

Owns the rules every source follows: the document id (`<source>:<registry id>`), the content
hash (over the registry's meaningful content, canonicalised), the normalised vocabularies for
phase / study type / status, and how dates become timezone-aware UTC ISO-8601 strings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import orjson

SEOUL = ZoneInfo("Asia/Seoul")

PHASES = (
    "early_phase_1",
    "phase_1",
    "phase_1_2",
    "phase_2",
    "phase_2_3",
    "phase_3",
    "phase_4",
    "not_applicable",
    "other",
)
# What a write that sets `changed_at` was: a new trial, new content, or a trial back in its
# registry after it had disappeared (`removed_at` cleared).
CHANGE_KINDS = ("created", "updated", "restored")
STUDY_TYPES = ("interventional", "observational", "expanded_access", "other")
SEXES = ("all", "female", "male")
DATE_TYPES = ("actual", "estimated")
# What is tested, in ClinicalTrials.gov's intervention types (CRIS's Korean ones map onto them).
INTERVENTION_TYPES = (
    "drug",
    "device",
    "biological",
    "procedure",
    "radiation",
    "behavioral",
    "genetic",
    "dietary_supplement",
    "combination_product",
    "diagnostic_test",
    "other",
)
OUTCOME_KINDS = ("primary", "secondary", "other")
STATUSES = (
    "not_yet_recruiting",
    "recruiting",
    "enrolling_by_invitation",
    "active_not_recruiting",
    "suspended",
    "terminated",
    "completed",
    "withdrawn",
    "unknown",
)


def doc_id(source: str, registry_id: str) -> str:
    return f"{source}:{registry_id}"


def write_version(run_started: datetime, previous_run_started: datetime | None = None) -> int:
    """The external `_version` of every write of a run: its start in epoch milliseconds, kept
    above the previous run's (a clock behind the last writer's must not make every write
    stale). Versions only grow, so an older or concurrent writer gets 409, never overwrites."""
    version = int(run_started.timestamp() * 1000)
    if previous_run_started is not None:
        version = max(version, int(previous_run_started.timestamp() * 1000) + 1)
    return version


def content_hash(content: Any) -> str:
    """sha256 of `content` as canonical JSON (sorted keys, no whitespace).

    Callers pass only the registry's meaningful content, with list order already normalised
    where the registry's order carries no meaning, so the hash changes only on real updates.
    """
    canonical = orjson.dumps(content, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def utc_iso(moment: datetime) -> str:
    """A timezone-aware instant as UTC ISO-8601 with milliseconds and a `Z`."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: every time must carry its zone")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def day_start(day: date, zone: tzinfo = SEOUL) -> str:
    """Midnight of a calendar day in `zone` (Korean dates without a zone are Asia/Seoul)."""
    return utc_iso(datetime.combine(day, time(0), tzinfo=zone))


@dataclass
class StudyPeriod:
    raw: str | None = None
    start: str | None = None  # calendar dates, YYYY-MM-DD
    end: str | None = None
    months: int | None = None
    start_type: str | None = None  # one of DATE_TYPES: the registry's actual or planned date
    end_type: str | None = None


@dataclass
class Eligibility:
    """Who may take part. Ages in years (6 months = 0.5); None = no limit on that side."""

    min_age_years: float | None = None
    max_age_years: float | None = None
    ages_raw: str | None = None  # as the registry wrote it, e.g. "20 세 ~ 75 세"
    sex: str | None = None  # one of SEXES
    healthy_volunteers: bool | None = None
    criteria: str | None = None


@dataclass
class Site:
    """Where the trial runs. `region` is the Korean 시/도 (서울특별시, 경기도) only where the
    record states the place; `country` is ISO 3166-1 alpha-2; `geo` is {"lat", "lon"}."""

    name: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    status: str | None = None
    geo: dict[str, float] | None = None


@dataclass
class Outcome:
    kind: str  # one of OUTCOME_KINDS
    measure: str
    time_frame: str | None = None
    description: str | None = None


@dataclass
class Concept:
    """A vocabulary concept found in the trial (trials.concepts), with both labels."""

    id: str
    ko: str
    en: str


@dataclass
class Trial:
    """One registry record, normalised. Field names are the mapping's (mappings/trials.json)."""

    source: str
    registry_id: str
    title: str
    content_hash: str
    raw: dict[str, Any]
    url: str | None = None
    synthetic: bool = False
    title_ko: str | None = None
    title_en: str | None = None
    summary: str | None = None
    conditions: list[str] = field(default_factory=list)
    interventions: list[str] = field(default_factory=list)
    intervention_types: list[str] = field(default_factory=list)  # INTERVENTION_TYPES
    institution: str | None = None
    sponsor: str | None = None
    department: str | None = None
    phase: str | None = None
    phase_raw: str | None = None
    study_type: str | None = None
    study_type_raw: str | None = None
    status: str | None = None
    status_raw: str | None = None
    scope: str | None = None
    target_size: int | None = None
    study_period: StudyPeriod = field(default_factory=StudyPeriod)
    official_title: str | None = None
    keywords: list[str] = field(default_factory=list)
    description: str | None = None
    eligibility: Eligibility = field(default_factory=Eligibility)
    sites: list[Site] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    collaborators: list[str] = field(default_factory=list)
    funding: list[str] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    concept_ancestors: list[str] = field(default_factory=list)  # broader concepts' ids
    registered_at: str | None = None
    source_updated_at: str | None = None
    detail_read_at: str | None = None  # when the registry's detail was last read (CRIS)
    document_hash: str | None = None  # over the normalised document (see the sink)
    served_hash: str | None = None  # over the record's bytes as served, when the source keeps them

    @property
    def id(self) -> str:
        return doc_id(self.source, self.registry_id)

    def document(
        self,
        *,
        first_seen_at: str,
        changed_at: str,
        run_id: str,
        removed_at: str | None = None,
        last_change: str | None = None,
    ) -> dict[str, Any]:
        """The Elasticsearch `_source`; the sink supplies the times only it knows, and
        `last_change`: what the write that set `changed_at` was (one of `CHANGE_KINDS`)."""
        if last_change is not None and last_change not in CHANGE_KINDS:
            raise ValueError(f"last_change must be one of {CHANGE_KINDS}, not {last_change!r}")
        body = _present(self)
        written = {
            "id": self.id,
            "first_seen_at": first_seen_at,
            "changed_at": changed_at,
            "last_change": last_change,
            "removed_at": removed_at,
            "last_run_id": run_id,
        }
        body.update((k, v) for k, v in written.items() if v is not None)
        return body


# Built by hand rather than with `dataclasses.asdict` + a pruning pass: every written trial goes
# through here, and asdict's deep copy of each value was the sync's largest cost (issue 10).
_SCALARS = (str, int, float, bool)


def _present(obj: object) -> dict[str, Any]:
    """A dataclass as a dict without null, empty-list and empty-object values, at every depth
    (absent fields stay absent). `raw`, the registry's record, is kept as it came: the body
    shares it with the trial, which is not changed once normalised."""
    values = vars(obj)  # the fields, in order, unless an attribute was set beside them
    if len(values) != len(_field_names(type(obj))):
        values = {name: getattr(obj, name) for name in _field_names(type(obj))}
    body: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name != "raw" and type(value) not in _SCALARS:
            value = _pruned(value)
        if _kept(value):
            body[name] = value
    return body


def _pruned(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    if isinstance(value, list | tuple):
        return [p for p in map(_pruned, value) if _kept(p)]
    if isinstance(value, dict):
        return {k: p for k, v in value.items() if _kept(p := v if k == "raw" else _pruned(v))}
    if hasattr(type(value), "__dataclass_fields__"):
        return _present(value)
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _kept(value: Any) -> bool:
    return value is not None and value != [] and value != {}
