"""The trial as the API shows it: the whole record (detail) and the compact list item (search,
recent changes). Every stored field is declared, since the spec forbids properties it does
not name; fields the record lacks are left out rather than sent as null."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from trials.model import CHANGE_KINDS, DATE_TYPES, OUTCOME_KINDS, SEXES
from trials.registries import SOURCE_NAMES


def _text(description: str) -> fields.String:
    return fields.String(allow_none=True, metadata={"description": description})


def _texts(description: str) -> fields.List:
    return fields.List(fields.String(), allow_none=True, metadata={"description": description})


def _stamp(description: str) -> fields.String:
    return fields.String(
        allow_none=True, metadata={"description": description + " (ISO-8601, UTC)"}
    )


def _one_of(values: tuple[str, ...], description: str) -> fields.String:
    return fields.String(
        allow_none=True, validate=validate.OneOf(values), metadata={"description": description}
    )


def _years(description: str) -> fields.Float:
    return fields.Float(allow_none=True, metadata={"description": description})


class StudyPeriodSchema(Schema):
    raw = fields.String(allow_none=True, metadata={"example": "2023-05-25 ~ 2024-01-25"})
    start = fields.String(allow_none=True, metadata={"example": "2023-05-25"})
    end = fields.String(allow_none=True, metadata={"example": "2024-01-25"})
    months = fields.Integer(allow_none=True, metadata={"example": 8})
    start_type = _one_of(DATE_TYPES, "Whether the start is the actual or a planned date")
    end_type = _one_of(DATE_TYPES, "Whether the end is the actual or a planned date")


class EligibilitySummarySchema(Schema):
    min_age_years = _years("Youngest age accepted, in years (6 months = 0.5); absent: no limit")
    max_age_years = _years("Oldest age accepted, in years; absent: no limit")
    sex = _one_of(SEXES, "Who may take part: all, female or male")
    healthy_volunteers = fields.Boolean(
        allow_none=True, metadata={"description": "Whether healthy volunteers are accepted"}
    )


class EligibilitySchema(EligibilitySummarySchema):
    ages_raw = _text("The age range as the registry wrote it")
    criteria = _text("Inclusion and exclusion criteria")


class GeoSchema(Schema):
    lat = fields.Float(metadata={"example": 37.566})
    lon = fields.Float(metadata={"example": 126.9784})


class SiteSchema(Schema):
    name = _text("Facility")
    city = _text("City")
    region = _text("Korean 시/도 (서울특별시, 경기도), where the record states the place")
    country = _text("ISO 3166-1 alpha-2")
    status = _text("The site's recruitment status")
    geo = fields.Nested(GeoSchema, allow_none=True)


class OutcomeSchema(Schema):
    kind = _one_of(OUTCOME_KINDS, "primary, secondary or other")
    measure = _text("What is measured")
    time_frame = _text("When")
    description = _text("How")


class ConceptSchema(Schema):
    id = fields.String()
    ko = fields.String()
    en = fields.String()


class TrialCoreSchema(Schema):
    """What a list item and the whole record both show."""

    id = fields.String(metadata={"description": "Our id: <source>:<registry id>"})
    source = fields.String(metadata={"description": "Registry: " + ", ".join(SOURCE_NAMES)})
    registry_id = fields.String(metadata={"description": "The registry's own id"})
    url = _text("The trial's page at its registry")
    synthetic = fields.Boolean(allow_none=True, metadata={"description": "Generated demo record"})
    title = _text("Main title (Korean when the registry has one)")
    title_ko = _text("Korean title")
    title_en = _text("English title")
    status = _text("Normalised recruitment status")
    phase = _text("Normalised phase")
    study_type = _text("Normalised study type")
    conditions = _texts("Conditions studied")
    institution = _text("Lead institution")
    registered_at = _stamp("Registration date at the registry")
    source_updated_at = _stamp("Last update at the registry, when it says")
    first_seen_at = _stamp("When our index first saw the trial")
    changed_at = _stamp("When its content last changed in our index")
    last_change = _one_of(
        CHANGE_KINDS,
        "What set `changed_at`: created (first seen), updated (registry content changed) or "
        "restored (back in its registry after it had disappeared)",
    )
    removed_at = _stamp("When it disappeared from its registry (null while present)")
    changed_fields = _texts(
        "The fields its latest registry change changed (old and new values: its `/history`)"
    )


class TrialItemSchema(TrialCoreSchema):
    """A trial in a list: who may take part and where, not the long texts or every site."""

    eligibility = fields.Nested(EligibilitySummarySchema)
    regions = fields.List(
        fields.String(),
        metadata={"description": "The Korean 시/도 of its sites, each once (where stated)"},
    )
    countries = fields.List(
        fields.String(), metadata={"description": "The countries of its sites, each once"}
    )


class TrialSchema(TrialCoreSchema):
    official_title = _text("The registry's official (scientific) title")
    summary = _text("Brief summary")
    description = _text("Detailed description")
    keywords = _texts("Keywords the registry lists")
    interventions = _texts("Interventions")
    intervention_types = _texts("Kinds of intervention: drug, device, behavioral …")
    sponsor = _text("Primary sponsor")
    collaborators = _texts("Collaborating organisations")
    funding = _texts("Sources of funding")
    department = _text("Clinical department")
    phase_raw = _text("Phase as the registry wrote it")
    study_type_raw = _text("Study type as the registry wrote it")
    status_raw = _text("Status as the registry wrote it")
    scope = _text("Single-centre, multi-centre …")
    target_size = fields.Integer(allow_none=True, metadata={"description": "Target enrolment"})
    study_period = fields.Nested(StudyPeriodSchema, allow_none=True)
    eligibility = fields.Nested(EligibilitySchema, allow_none=True)
    sites = fields.List(fields.Nested(SiteSchema), allow_none=True)
    outcomes = fields.List(fields.Nested(OutcomeSchema), allow_none=True)
    concepts = fields.List(
        fields.Nested(ConceptSchema),
        allow_none=True,
        metadata={"description": "Vocabulary concepts found in the trial, in both languages"},
    )
    concept_ancestors = _texts("Ids of the broader concepts of `concepts`")
    detail_read_at = _stamp("When the registry's detail record was last read")
    content_hash = _text("Hash of the registry's meaningful content")
    document_hash = _text("Hash of the normalised document")
    served_hash = _text("Hash of the registry record's bytes as last served (ClinicalTrials.gov)")


class TrialDetailSchema(TrialSchema):
    raw = fields.Dict(allow_none=True, metadata={"description": "The registry record as fetched"})
