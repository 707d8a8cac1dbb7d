"""Ages and sex as the registries write them → years and all/female/male (pure functions)."""

from __future__ import annotations

import pytest

from indexer.sources.eligibility import AgeRange, age_range, age_years, sex


@pytest.mark.parametrize(
    ("raw", "years"),
    [
        ("18 Years", 18.0),
        ("1 Year", 1.0),
        ("0 Years", 0.0),
        ("6 Months", 0.5),
        ("18 Months", 1.5),
        ("2 Weeks", pytest.approx(14 / 365.25, abs=1e-4)),
        ("3 Days", pytest.approx(3 / 365.25, abs=1e-4)),
        ("N/A", None),
        ("", None),
        (None, None),
        ("adult", None),
        ("18 Years or older", None),  # a bound, not an age: age_range reads those
    ],
)
def test_one_age_in_years(raw: str | None, years: float | None) -> None:
    assert age_years(raw) == years


# "under 65" is stored as 64.99: whole-year (and month) ages below 65 are inside, 65 is not
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20 세 ~ 75 세", AgeRange(20.0, 75.0)),
        ("20 Year ~ 75 Year", AgeRange(20.0, 75.0)),
        ("19 Year(s) ~ 75 Year(s)", AgeRange(19.0, 75.0)),
        ("만 19세 이상", AgeRange(19.0, None)),
        ("만 65세 미만", AgeRange(None, 64.99)),
        ("만 19세 이상 ~ 만 65세 미만", AgeRange(19.0, 64.99)),
        ("19세 이상 75세 이하", AgeRange(19.0, 75.0)),
        ("19세 초과", AgeRange(19.01, None)),
        ("19세~", AgeRange(19.0, None)),
        ("~75세", AgeRange(None, 75.0)),
        ("20~75세", AgeRange(20.0, 75.0)),  # one unit for both ends
        ("6개월 ~ 18세", AgeRange(0.5, 18.0)),
        ("19세부터 65세까지", AgeRange(19.0, 65.0)),
        ("19 Year(s) ~ No Limit", AgeRange(19.0, None)),
        ("18 to 65 years", AgeRange(18.0, 65.0)),
        ("18 years and older", AgeRange(18.0, None)),
        ("under 18", AgeRange(None, 17.99)),
        ("제한없음", AgeRange(None, None)),
        ("제한 없음", AgeRange(None, None)),
        ("No limit", AgeRange(None, None)),
        ("No Limit", AgeRange(None, None)),
        ("N/A", AgeRange(None, None)),
    ],
)
def test_age_ranges(raw: str, expected: AgeRange) -> None:
    assert age_range(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "성인",  # no number: which ages is not said
        "20세",  # one age, no side
        "75세 이하 ~ 19세",  # the words contradict the order
        "65세 미만 ~ 19세 이상",
        "75세 ~ 20세",  # minimum above maximum
        "19세 이상, 20세 이상",  # two minimums
    ],
)
def test_unreadable_ages_are_none(raw: str) -> None:
    assert age_range(raw) is None


def test_an_exclusive_bound_keeps_integer_ages_on_the_right_side() -> None:
    under_65 = age_range("만 65세 미만")
    over_19 = age_range("19세 초과")
    assert under_65 is not None
    assert under_65.max_years is not None
    assert over_19 is not None
    assert over_19.min_years is not None
    assert 64 <= under_65.max_years < 65
    assert 19 < over_19.min_years <= 20


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ALL", "all"),
        ("FEMALE", "female"),
        ("MALE", "male"),
        ("둘다", "all"),
        ("Both", "all"),
        ("남녀 모두", "all"),
        ("여성", "female"),
        ("남", "male"),
        ("Male and Female", "all"),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_sex(raw: str | None, expected: str | None) -> None:
    assert sex(raw) == expected
