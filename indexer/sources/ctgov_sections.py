"""ClinicalTrials.gov's protocol modules → the document's parts: eligibility, sites, outcomes,
collaborators, intervention types, and which organisation is the sponsor and the institution.

Each function takes the `protocolSection` (a dict); a wrong shape raises as the pipeline expects
(`RecordRejected`, or AttributeError/TypeError/LookupError for a wrong container).
"""

from __future__ import annotations

from typing import Any

from indexer.sources import eligibility as ages
from indexer.sources import parsing, places, vocab
from indexer.sources.organisations import looks_like_person
from trials.model import Eligibility, Outcome, Site

OUTCOME_LISTS = (
    ("primary", "primaryOutcomes"),
    ("secondary", "secondaryOutcomes"),
    ("other", "otherOutcomes"),
)


def module(protocol: dict[str, Any], name: str) -> dict[str, Any]:
    found = protocol.get(name) or {}
    if not isinstance(found, dict):
        raise TypeError(f"{name}: expected an object")
    return found


def _items(container: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = container.get(key) or []
    if not isinstance(found, list):
        raise TypeError(f"{key}: expected a list")
    return [item for item in found if isinstance(item, dict)]


def eligibility(protocol: dict[str, Any]) -> Eligibility:
    """Ages in years ("6 Months" → 0.5; an absent age is no limit), sex, healthy volunteers and
    the criteria text. `ages_raw` joins the two fields as "min ~ max", N/A where one is absent."""
    found = module(protocol, "eligibilityModule")
    low = parsing.text(found.get("minimumAge"), "minimumAge")
    high = parsing.text(found.get("maximumAge"), "maximumAge")
    healthy = found.get("healthyVolunteers")
    return Eligibility(
        min_age_years=ages.age_years(low),
        max_age_years=ages.age_years(high),
        ages_raw=f"{low or 'N/A'} ~ {high or 'N/A'}" if low or high else None,
        sex=ages.sex(parsing.text(found.get("sex"), "sex")),
        healthy_volunteers=healthy if isinstance(healthy, bool) else None,
        criteria=parsing.text(found.get("eligibilityCriteria"), "eligibilityCriteria"),
    )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _geo(point: Any) -> dict[str, float] | None:
    if not isinstance(point, dict):
        return None
    lat, lon = _number(point.get("lat")), _number(point.get("lon"))
    return {"lat": lat, "lon": lon} if lat is not None and lon is not None else None


def _site(location: dict[str, Any]) -> Site:
    country = places.country_code(parsing.text(location.get("country"), "location.country"))
    city = parsing.text(location.get("city"), "location.city")
    state = parsing.text(location.get("state"), "location.state")
    status = parsing.text(location.get("status"), "location.status")
    return Site(
        name=parsing.text(location.get("facility"), "location.facility"),
        city=city,
        region=places.korean_region(state, city) if country == "KR" else None,
        country=country,
        status=vocab.status(status),
        geo=_geo(location.get("geoPoint")),
    )


def sites(protocol: dict[str, Any]) -> list[Site]:
    return [_site(loc) for loc in _items(module(protocol, "contactsLocationsModule"), "locations")]


def outcomes(protocol: dict[str, Any]) -> list[Outcome]:
    found = module(protocol, "outcomesModule")
    result: list[Outcome] = []
    for kind, key in OUTCOME_LISTS:
        for item in _items(found, key):
            measure = parsing.text(item.get("measure"), f"{key}.measure")
            if measure:
                result.append(
                    Outcome(
                        kind=kind,
                        measure=measure,
                        time_frame=parsing.text(item.get("timeFrame"), f"{key}.timeFrame"),
                        description=parsing.text(item.get("description"), f"{key}.description"),
                    )
                )
    return result


def collaborators(protocol: dict[str, Any]) -> list[str]:
    sponsors = module(protocol, "sponsorCollaboratorsModule")
    names = (parsing.text(c.get("name"), "collaborator") for c in _items(sponsors, "collaborators"))
    return list(dict.fromkeys(name for name in names if name))


def intervention_types(protocol: dict[str, Any]) -> list[str]:
    arms = module(protocol, "armsInterventionsModule")
    kinds = (vocab.ctgov_intervention_type(i.get("type")) for i in _items(arms, "interventions"))
    return list(dict.fromkeys(kind for kind in kinds if kind))


def _organisation(*named: tuple[Any, Any]) -> str | None:
    """The first (name, class) pair that names an organisation, not a person."""
    for name, kind in named:
        text = parsing.text(name, "organisation")
        if text and not looks_like_person(text, kind if isinstance(kind, str) else None):
            return text
    return None


def sponsor_and_institution(protocol: dict[str, Any]) -> tuple[str | None, str | None]:
    """The lead sponsor, and the organisation that registered the study (`organization`);
    each falls back to the other when it names a person, and is None when both do."""
    org = module(module(protocol, "identificationModule"), "organization")
    lead = module(module(protocol, "sponsorCollaboratorsModule"), "leadSponsor")
    registering = (org.get("fullName"), org.get("class"))
    leading = (lead.get("name"), lead.get("class"))
    return _organisation(leading, registering), _organisation(registering, leading)
