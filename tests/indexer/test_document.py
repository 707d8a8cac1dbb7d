"""The document body a trial is written as (`Trial.document`): null, empty-list and empty-object
values are left out at every depth, the registry's record is kept as it came, and the times the
sink supplies are added."""

from __future__ import annotations

from trials.model import Concept, Eligibility, Outcome, Site, StudyPeriod, Trial


def _trial() -> Trial:
    return Trial(
        source="cris",
        registry_id="KCT0000001",
        title="폐암 연구",
        content_hash="h",
        raw={"kept": None, "empty": [], "nested": {"also": ""}},
        conditions=["폐암"],
        keywords=[],
        study_period=StudyPeriod(start="2024-01-01"),
        eligibility=Eligibility(),
        sites=[Site(name="A", geo={"lat": 37.5, "lon": 127.0}), Site(), Site(city="서울")],
        outcomes=[Outcome(kind="primary", measure="OS", time_frame=None)],
        concepts=[Concept(id="lung_cancer", ko="폐암", en="Lung cancer")],
        target_size=0,
        synthetic=False,
    )


def test_empty_values_are_left_out_at_every_depth() -> None:
    body = _trial().document(first_seen_at="a", changed_at="b", run_id="r")
    assert not {"keywords", "eligibility", "summary"} & set(body)
    assert body["study_period"] == {"start": "2024-01-01"}
    assert body["sites"] == [{"name": "A", "geo": {"lat": 37.5, "lon": 127.0}}, {"city": "서울"}]
    assert body["outcomes"] == [{"kind": "primary", "measure": "OS"}]
    assert body["concepts"] == [{"id": "lung_cancer", "ko": "폐암", "en": "Lung cancer"}]
    # falsy values that are values stay
    assert (body["target_size"], body["synthetic"]) == (0, False)


def test_the_registry_record_is_kept_as_it_came() -> None:
    trial = _trial()
    body = trial.document(first_seen_at="a", changed_at="b", run_id="r")
    assert body["raw"] == {"kept": None, "empty": [], "nested": {"also": ""}}


def test_the_sinks_values_are_added_and_unset_ones_left_out() -> None:
    body = _trial().document(first_seen_at="", changed_at="b", run_id="r", last_change="created")
    assert body["id"] == "cris:KCT0000001"
    assert (body["first_seen_at"], body["changed_at"], body["last_run_id"]) == ("", "b", "r")
    assert body["last_change"] == "created"
    assert "removed_at" not in body
    assert list(body)[-5:] == ["id", "first_seen_at", "changed_at", "last_change", "last_run_id"]


def test_an_attribute_set_beside_the_fields_is_not_written() -> None:
    trial = _trial()
    expected = trial.document(first_seen_at="a", changed_at="b", run_id="r")
    trial.note = "not a field"  # type: ignore[attr-defined]
    assert trial.document(first_seen_at="a", changed_at="b", run_id="r") == expected
