"""Pure rules: dates, durations, vocabularies, content hashes and the portals' error bodies."""

from __future__ import annotations

import json

import pytest

from indexer.errors import RecordRejected
from indexer.http import encode_service_key, query_string
from indexer.portal import read_json_error, read_xml_error
from indexer.sources import parsing, vocab
from indexer.sources.ctgov import CtgovSource
from indexer.sources.demo import DemoSource, demo_study
from indexer.sources.icreat import normalize as icreat_normalize
from testkit.registry import records
from testkit.synthetic import demo_record
from tests.indexer.elsewhere import output_elsewhere
from trials.model import content_hash, day_start


def test_korean_dates_are_seoul_midnight_in_utc() -> None:
    day = parsing.calendar_date("2026/02/03", "date")
    assert day is not None
    assert day_start(day) == "2026-02-02T15:00:00.000Z"


@pytest.mark.parametrize("raw", ["2023-13-01", "03.02.2026", "yesterday"])
def test_unparseable_dates_are_rejected_with_the_field(raw: str) -> None:
    with pytest.raises(RecordRejected, match="when"):
        parsing.calendar_date(raw, "when")


@pytest.mark.parametrize(
    ("raw", "months"),
    [("3년", 36), ("36개월", 36), ("120개월", 120), ("년", None), ("30", None), ("", None)],
)
def test_study_period_months(raw: str, months: int | None) -> None:
    assert parsing.months_of(raw) == months


@pytest.mark.parametrize(
    ("raw", "phase"),
    [
        ("Phase 3", "phase_3"),
        ("PHASE1, PHASE2", "phase_1_2"),
        ("EARLY_PHASE1", "early_phase_1"),
        ("NA", "not_applicable"),
        ("코호트", "not_applicable"),
        ("해당사항없음", "not_applicable"),
        ("Other", "other"),
        ("", None),
    ],
)
def test_phases_share_one_vocabulary(raw: str, phase: str | None) -> None:
    assert vocab.phase(raw) == phase


def test_target_size_accepts_numbers_and_numeric_text_only() -> None:
    assert parsing.integer("120", "n") == 120
    assert parsing.integer(80, "n") == 80
    assert parsing.integer("", "n") is None
    with pytest.raises(RecordRejected, match="whole number"):
        parsing.integer("many", "n")


def test_ctgov_hash_ignores_the_derived_section_churn() -> None:
    """Two real snapshots of NCT02552212: only versionHolder and browse-list order differ."""
    source = CtgovSource(client=None, url="http://x", query="")  # type: ignore[arg-type]
    older = records.ctgov_file("aact_fixture_NCT02552212_versionHolder_2023-12-12.json")
    newer = records.ctgov_file("aact_fixture_NCT02552212_versionHolder_2024-01-03.json")
    assert older["derivedSection"] != newer["derivedSection"]
    digest = content_hash(source.hashed_content(older))
    assert content_hash(source.hashed_content(newer)) == digest


def test_ctgov_hash_sees_a_real_change_without_a_new_date() -> None:
    """NCT05923281 on 06-28 and 06-29: the posting types flip ESTIMATED → ACTUAL."""
    source = CtgovSource(client=None, url="http://x", query="")  # type: ignore[arg-type]

    def study(name: str) -> dict[str, object]:
        found = [
            s
            for s in records.ctgov_file(name)
            if s["protocolSection"]["identificationModule"]["nctId"] == "NCT05923281"
        ]
        return found[0]  # type: ignore[no-any-return]

    day1 = study("dgg32_ctg-studies_2023-06-28_10.json")
    day2 = study("dgg32_ctg-studies5_2023-06-29_50.json")
    assert content_hash(source.hashed_content(day1)) != content_hash(source.hashed_content(day2))


def test_normalised_ctgov_study() -> None:
    source = CtgovSource(client=None, url="http://x", query="")  # type: ignore[arg-type]
    day1 = records.ctgov_file("dgg32_ctg-studies_2023-06-28_10.json")
    trial = next(source.normalize(s) for s in day1 if "NCT05923281" in str(s)[:400])
    assert trial.id == "ctgov:NCT05923281"
    assert (trial.phase, trial.status, trial.study_type) == (
        "phase_3",
        "recruiting",
        "interventional",
    )
    assert trial.target_size == 60
    assert trial.study_period.start == "2023-05-01"
    assert trial.source_updated_at == "2023-06-28T00:00:00.000Z"


def test_normalised_icreat_task() -> None:
    raw = records.icreat_records()[0]
    trial = icreat_normalize("icreat", raw)
    assert trial.id == f"icreat:{raw['과제번호']}"
    assert trial.title_ko == raw["과제명"]
    assert trial.study_type == "observational"
    assert trial.document(first_seen_at="a", changed_at="b", run_id="r")["raw"] == raw


_GENERATE = (
    "import json, sys\n"
    "from indexer.sources.demo import demo_study\n"
    "from testkit.synthetic import demo_record\n"
    "seed, n = int(sys.argv[1]), int(sys.argv[2])\n"
    "print(json.dumps([[demo_record(i, seed), demo_study(i, seed)] for i in range(1, n + 1)]))\n"
)


def _generated_elsewhere(seed: int, count: int) -> list[list[dict[str, object]]]:
    """The generators' output in another interpreter (tests.indexer.elsewhere)."""
    return json.loads(output_elsewhere(_GENERATE, str(seed), str(count)))  # type: ignore[no-any-return]


@pytest.mark.parametrize("seed", [0, 7])
def test_generated_records_depend_on_seed_and_index_alone(seed: int) -> None:
    here = [[demo_record(i, seed), demo_study(i, seed)] for i in range(1, 41)]
    assert _generated_elsewhere(seed, 40) == here  # unseeded randomness would differ
    other_seed = [[demo_record(i, seed + 1), demo_study(i, seed + 1)] for i in range(1, 41)]
    for generator in (0, 1):  # ids stay, each generator's drawn content moves with the seed
        pairs = zip(here, other_seed, strict=True)
        assert all(a[generator] != b[generator] for a, b in pairs)
    drawn = [str({k: v for k, v in r.items() if k != "과제번호"}) for r, _ in here]
    assert len(set(drawn)) == 40  # and with the index: not one record repeated
    assert len({str(s["detail"]) for _, s in here}) == 40


def test_demo_studies_are_synthetic_and_bilingual() -> None:
    source = DemoSource(count=10)
    trials = [source.normalize(demo_study(i)) for i in range(1, 11)]
    assert all(t.synthetic and t.registry_id.startswith("DEMO-") for t in trials)
    assert {bool(t.title_ko) for t in trials} == {True, False}
    assert all(t.title_en and t.summary and t.conditions and t.status for t in trials)
    assert all(t.source == "demo" and t.department for t in trials)


def test_demo_summaries_use_the_right_object_particle() -> None:
    summaries = {DemoSource().normalize(demo_study(i)).summary or "" for i in range(1, 60)}
    assert any("재발률을 평가" in s for s in summaries)  # 률 ends in a consonant
    assert any("삶의 질 변화를 평가" in s for s in summaries)  # 화 ends in a vowel
    assert not any("률를" in s or "화을" in s for s in summaries)


def test_service_key_is_encoded_exactly_once() -> None:
    assert encode_service_key("ab+c/d==") == "ab%2Bc%2Fd%3D%3D"
    assert encode_service_key("ab%2Bc%2Fd%3D%3D") == "ab%2Bc%2Fd%3D%3D"
    assert query_string([("page", 1)], "ab+c") == "page=1&serviceKey=ab%2Bc"


def test_portal_error_bodies_name_their_cause() -> None:
    xml = (
        b"<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
        b"<returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg>"
        b"<returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>"
    )
    verdict = read_xml_error(xml)
    assert verdict is not None
    assert verdict.kind == "bad_key"
    quota = read_json_error({"code": -10, "msg": "트래픽 허용 횟수를 초과하였습니다."})
    assert quota is not None
    assert quota.kind == "quota"
    assert read_json_error({"resultCode": "00", "items": []}) is None
    cris = read_json_error({"resultCode": "22", "resultMsg": "LIMITED"})
    assert cris is not None
    assert cris.kind == "quota"


def test_demo_studies_exercise_the_eligibility_and_place_filters() -> None:
    trials = [DemoSource().normalize(demo_study(i)) for i in range(1, 101)]
    assert {t.eligibility.sex for t in trials} == {"all", "female", "male"}
    assert any(t.eligibility.max_age_years == 64.99 for t in trials)  # 만 65세 미만
    assert any(t.eligibility.min_age_years is None for t in trials)  # 제한없음
    regions = {s.region for t in trials for s in t.sites}
    assert len(regions) >= 4
    assert None not in regions
    assert all(s.country == "KR" for t in trials for s in t.sites)
    assert all(t.interventions == [] for t in trials)  # i_freetext_kr is a type
    assert {k for t in trials for k in t.intervention_types} <= {
        "drug",
        "device",
        "behavioral",
        "biological",
    }


def test_the_hashed_form_of_a_flat_record() -> None:
    record = {"a": " x ", "b": "  ", "c": None, "d": [], "e": {}, "f": 0, "g": 1.5}
    record |= {"h": False, "i": [1], "j": {"k": 1}, "l": "dropped"}
    assert parsing.canonical_flat(record, frozenset({"l"})) == {
        "a": "x",
        "f": "0",
        "g": "1.5",
        "h": False,
        "i": [1],
        "j": {"k": 1},
    }
