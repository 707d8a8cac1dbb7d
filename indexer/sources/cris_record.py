"""A CRIS list item and its detail → a Trial (the normalisation; fetching is `cris.py`'s).

What each field is read from (both the detail and the list item where both carry it, the
detail first):
- eligibility: `target_age_range_kr` (else `_en`: "20 세 ~ 75 세" / "20 Year ~ 75 Year") and
  `target_gender_kr/en` (둘다 / Both). The API carries no healthy-volunteer flag and no criteria.
- sites: every `research_items[]` entry; a region only from an address the entry carries, and
  then the country is KR. A site's name alone states no place.
- outcomes: `outcome_items[]` (primary and secondary measures with their time frames), else the
  list's `primary_outcome_1_kr`.
- funding: `funding_items[].source_name_kr/en`, else the list's `source_name_kr`.
- intervention types: `i_freetext_kr` (list) / `i_freetext_type_kr` (detail) name the TYPE of
  intervention (의약품, 의료기구시술수술 …), so they fill `intervention_types`, never
  `interventions`: neither endpoint carries intervention names in the recorded data.
- conditions: only `hc_code_kr/en` (the detail's health-condition code). The list item has no
  condition field at all (its 15 keys: ids, titles, dates and their types, study type,
  intervention type, phase, sponsor, funder, first primary outcome).
- dates: `date_enrolment` / `results_date_completed` with `type_enrolment_kr` /
  `results_type_date_completed_kr` (실제등록 = actual, 예정 = estimated).
"""

from __future__ import annotations

from typing import Any

from indexer.errors import RecordRejected
from indexer.sources import eligibility as ages
from indexer.sources import parsing, places, vocab
from indexer.sources.base import Raw
from trials.model import Eligibility, Outcome, Site, StudyPeriod, Trial, content_hash, day_start

OUTCOME_KINDS = ("primary", "secondary")


class _Fields:
    """Text fields of a detail and its list item, the detail's first."""

    def __init__(self, item: Raw, detail: Raw) -> None:
        self.item, self.detail = item, detail

    def __call__(self, key: str) -> str | None:
        return parsing.text(self.detail.get(key), key) or parsing.text(self.item.get(key), key)

    def first(self, *keys: str) -> str | None:
        return next((found for key in keys if (found := self(key))), None)

    def rows(self, key: str) -> list[dict[str, Any]]:
        found = self.detail.get(key) or []
        if not isinstance(found, list):
            raise TypeError(f"{key}: expected a list")
        return [row for row in found if isinstance(row, dict)]


def _row_text(row: dict[str, Any], *keys: str) -> str | None:
    return next((found for key in keys if (found := parsing.text(row.get(key), key))), None)


def _date(value: str | None, name: str) -> str | None:
    day = parsing.calendar_date(value, name)
    return day_start(day) if day else None


def _period(fields: _Fields) -> StudyPeriod:
    start = parsing.calendar_date(fields("date_enrolment"), "date_enrolment")
    end = parsing.calendar_date(fields("results_date_completed"), "results_date_completed")
    start_type = fields.first("type_enrolment_kr", "type_enrolment_en")
    end_type = fields.first("results_type_date_completed_kr", "results_type_date_completed_en")
    return StudyPeriod(
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
        months=parsing.months_between(start, end),
        start_type=vocab.date_type(start_type) if start else None,
        end_type=vocab.date_type(end_type) if end else None,
    )


def _eligibility(fields: _Fields) -> Eligibility:
    korean, english = fields("target_age_range_kr"), fields("target_age_range_en")
    found = ages.age_range(korean) or ages.age_range(english)
    return Eligibility(
        min_age_years=found.min_years if found else None,
        max_age_years=found.max_years if found else None,
        ages_raw=korean or english,
        sex=ages.sex(fields("target_gender_kr")) or ages.sex(fields("target_gender_en")),
    )


def _site(row: dict[str, Any]) -> Site:
    # the recorded entries hold names only; an address, where one comes, states the 시/도
    addresses = [v for k, v in row.items() if "addr" in k.lower() and isinstance(v, str)]
    region = places.korean_region(*addresses)
    return Site(
        name=_row_text(row, "site_name_kr", "site_name_en"),
        region=region,
        country="KR" if region else None,
    )


def _sites(fields: _Fields) -> list[Site]:
    return [site for site in map(_site, fields.rows("research_items")) if site.name]


def _outcomes(fields: _Fields) -> list[Outcome]:
    found: list[Outcome] = []
    for row in fields.rows("outcome_items"):
        for kind in OUTCOME_KINDS:
            measure = _row_text(row, f"{kind}_outcome_kr", f"{kind}_outcome_en")
            if measure:
                time = _row_text(row, f"{kind}_outcome_time_kr", f"{kind}_outcome_time_en")
                found.append(Outcome(kind=kind, measure=measure, time_frame=time))
    listed = fields("primary_outcome_1_kr")
    return found or ([Outcome(kind="primary", measure=listed)] if listed else [])


def _funding(fields: _Fields) -> list[str]:
    rows = fields.rows("funding_items")
    named = [_row_text(row, "source_name_kr", "source_name_en") for row in rows]
    funders = [name for name in named if name] or [fields("source_name_kr") or ""]
    return list(dict.fromkeys(name for name in funders if name))


def _sponsor(fields: _Fields) -> str | None:
    rows = fields.rows("sponsor_items")
    listed = (_row_text(row, "primary_sponsor_kr", "primary_sponsor_en") for row in rows)
    return fields("primary_sponsor_kr") or next((name for name in listed if name), None)


def _intervention_types(fields: _Fields) -> list[str]:
    return vocab.cris_intervention_types(fields.first("i_freetext_type_kr", "i_freetext_kr"))


def normalize_record(registry_id: str, item: Raw, detail: Raw) -> Trial:
    """A Trial from a CRIS list item and its detail (which may be empty)."""
    pick = _Fields(item, detail)
    title_ko, title_en = pick("scientific_title_kr"), pick("scientific_title_en")
    title = title_ko or title_en or pick("public_title_kr") or pick("public_title_en")
    if title is None:
        raise RecordRejected("no title")
    phase_raw = pick("phase_kr") or pick("phase_en")
    type_raw = pick("study_type_kr")
    status_raw = pick("recruitment_status_en") or pick("recruitment_status_kr")
    sites = _sites(pick)
    return Trial(
        source="cris",
        registry_id=registry_id,
        title=title,
        title_ko=title_ko,
        title_en=title_en,
        content_hash=content_hash(parsing.canonical_flat(item)),
        raw={"list": item, "detail": detail or None},
        summary=pick("study_summary_kr") or pick("study_summary_en"),
        conditions=[c for c in (pick("hc_code_kr"), pick("hc_code_en")) if c],
        intervention_types=_intervention_types(pick),
        institution=pick("affiliation_kr") or next((s.name for s in sites), None),
        sponsor=_sponsor(pick),
        funding=_funding(pick),
        phase=vocab.phase(phase_raw),
        phase_raw=phase_raw,
        study_type=vocab.study_type(type_raw),
        study_type_raw=type_raw,
        status=vocab.status(status_raw),
        status_raw=status_raw,
        target_size=parsing.integer(detail.get("target_size"), "target_size"),
        study_period=_period(pick),
        eligibility=_eligibility(pick),
        sites=sites,
        outcomes=_outcomes(pick),
        registered_at=_date(pick("date_registration"), "date_registration"),
        source_updated_at=_date(pick("date_updated"), "date_updated"),
    )
