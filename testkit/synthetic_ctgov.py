"""Generated ClinicalTrials.gov API v2 studies for the fake registry of benchmarks (issue 13's
500,000-study scale run), made from the 203 recorded studies (tests/fixtures/registries/ctgov).

Study i takes its shape (sponsor, design, arms, eligibility, outcomes, description, results)
from one recorded study and its subject (titles, conditions, keywords, the MeSH headings the
registry derived) from another, both drawn; its NCT id from i alone (unique, scattered, never
a recorded one); its status and dates drawn (last updates spread over `UPDATED_FROM` ..
`UPDATED_TO`, so an incremental run since a date reads a share of the registry); its sites
drawn one by one from every recorded site (facility, city, country, coordinates), as many as
its shape has. Like `testkit.synthetic`, study i is built from (seed, i) alone, so a page can
be served from any offset without holding the registry in memory. Only the modules that differ
are copied: the rest is shared with the recorded study and must not be changed in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from indexer.sources.demo import Draws
from testkit.registry import records

UPDATED_FROM = date(2010, 1, 1)
UPDATED_TO = date(2025, 12, 31)
_ID_SPACE = 10**7
_ID_STEP = 7_368_787  # coprime with 10**7: i -> i * step mod 10**7 is one-to-one
# Draws gives ~64 bits a stream; each part of a study draws from its own stream (seed offset)
_DATES, _SITES = 1_000_003, 2_000_003
_SUBJECT_TITLES = ("briefTitle", "officialTitle", "acronym")

Study = dict[str, Any]


@dataclass(frozen=True)
class _Recorded:
    studies: list[Study]
    sites: list[dict[str, Any]]  # every recorded location, of every study
    statuses: list[str]  # every recorded overallStatus (as often as recorded)


@cache
def _recorded() -> _Recorded:
    studies = records.ctgov_studies()
    protocols = [s["protocolSection"] for s in studies]
    sites = [
        site
        for p in protocols
        for site in (p.get("contactsLocationsModule") or {}).get("locations") or []
    ]
    statuses = [p["statusModule"]["overallStatus"] for p in protocols]
    return _Recorded(studies, sites, statuses)


def generated_nct_id(index: int) -> str:
    """NCT9 and seven digits scattered by `index` (0 ≤ index < 10**7): unique, and apart from
    the registry's real ids (NCT0…)."""
    if not 0 <= index < _ID_SPACE:
        raise ValueError(f"study index {index} outside 0..{_ID_SPACE - 1}")
    return f"NCT9{index * _ID_STEP % _ID_SPACE:07d}"


def last_updated(index: int, seed: int = 0) -> date:
    """Study `index`'s last update posted (cheap: one draw), within UPDATED_FROM..UPDATED_TO."""
    return _updated(index, seed)[0]


def _updated(index: int, seed: int) -> tuple[date, Draws]:
    """The last update, and the stream the study's other dates are drawn from after it."""
    dates = Draws(seed + _DATES, index)
    return UPDATED_FROM + timedelta(days=dates.below((UPDATED_TO - UPDATED_FROM).days + 1)), dates


def ctgov_study(index: int, seed: int = 0) -> Study:
    """Study `index` of the generated registry; the same inputs always give the same study."""
    recorded = _recorded()
    draw = Draws(seed, index)
    shape, subject = draw.choice(recorded.studies), draw.choice(recorded.studies)
    protocol = dict(shape["protocolSection"])
    about = subject["protocolSection"]
    protocol["identificationModule"] = _identification(
        protocol["identificationModule"], about["identificationModule"], index
    )
    protocol["conditionsModule"] = about["conditionsModule"]
    protocol["statusModule"] = _status(protocol["statusModule"], index, seed, draw)
    if "contactsLocationsModule" in protocol:
        protocol["contactsLocationsModule"] = _sites(
            protocol["contactsLocationsModule"], index, seed
        )
    derived = {**shape.get("derivedSection", {})}
    if "conditionBrowseModule" in subject.get("derivedSection", {}):
        derived["conditionBrowseModule"] = subject["derivedSection"]["conditionBrowseModule"]
    return {**shape, "protocolSection": protocol, "derivedSection": derived}


def _identification(shape: dict[str, Any], subject: dict[str, Any], index: int) -> dict[str, Any]:
    own = {k: v for k, v in shape.items() if k not in _SUBJECT_TITLES}
    titles = {k: subject[k] for k in _SUBJECT_TITLES if k in subject}
    return {**own, **titles, "nctId": generated_nct_id(index)}


def _status(shape: dict[str, Any], index: int, seed: int, draw: Draws) -> dict[str, Any]:
    """The shape's status module with a drawn status and dates that follow one another:
    start ≤ first posted ≤ last update, completion after the start."""
    updated, dates = _updated(index, seed)
    posted = max(updated - timedelta(days=dates.below(3650)), date(2000, 1, 1))
    start = posted - timedelta(days=dates.below(365))
    completion = start + timedelta(days=180 + dates.below(2900))
    kind = "ACTUAL" if completion <= UPDATED_TO else "ESTIMATED"
    return {
        **shape,
        "overallStatus": draw.choice(_recorded().statuses),
        "statusVerifiedDate": updated.isoformat()[:7],
        "startDateStruct": {"date": start.isoformat(), "type": "ACTUAL"},
        "primaryCompletionDateStruct": {"date": completion.isoformat(), "type": kind},
        "completionDateStruct": {"date": completion.isoformat(), "type": kind},
        "studyFirstSubmitDate": posted.isoformat(),
        "studyFirstSubmitQcDate": posted.isoformat(),
        "studyFirstPostDateStruct": {"date": posted.isoformat(), "type": "ACTUAL"},
        "lastUpdateSubmitDate": updated.isoformat(),
        "lastUpdatePostDateStruct": {"date": updated.isoformat(), "type": "ACTUAL"},
    }


def _sites(shape: dict[str, Any], index: int, seed: int) -> dict[str, Any]:
    """As many sites as the shape has, each drawn from every recorded site."""
    pool = _recorded().sites
    count = len(shape.get("locations") or [])
    drawn = [Draws(seed + _SITES + n, index).choice(pool) for n in range(count)]
    return {**shape, "locations": drawn}
