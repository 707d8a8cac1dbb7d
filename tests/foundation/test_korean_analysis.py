"""Korean analysis through the running node: the plugin's components, by their official names."""

from __future__ import annotations

from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch, BadRequestError

SENTENCE = "임상시험의 안전성을 평가하는 연구"


async def tokens(es: AsyncElasticsearch, **body: Any) -> list[str]:
    result = await es.indices.analyze(**body)
    return [t["token"] for t in result["tokens"]]


async def test_nori_analyzer_splits_a_sentence_into_morphemes(es: AsyncElasticsearch) -> None:
    found = await tokens(es, analyzer="nori", text=SENTENCE)
    assert {"임상", "시험", "안전", "평가", "연구"} <= set(found)
    # Particles and endings are dropped: no whole eojeol survives.
    assert not {"임상시험의", "안전성을", "평가하는"} & set(found)


async def test_readingform_reads_hanja_as_hangul(es: AsyncElasticsearch) -> None:
    found = await tokens(
        es, tokenizer="nori_tokenizer", filter=["nori_readingform"], text="大韓民國"
    )
    assert found == ["대한", "민국"]


async def test_mixed_decompound_keeps_compound_and_parts(es: AsyncElasticsearch) -> None:
    tokenizer = {"type": "nori_tokenizer", "decompound_mode": "mixed"}
    assert await tokens(es, tokenizer=tokenizer, text="가곡역") == ["가곡역", "가곡", "역"]
    tokenizer["decompound_mode"] = "discard"
    assert await tokens(es, tokenizer=tokenizer, text="가곡역") == ["가곡", "역"]


async def test_inline_user_dictionary_rules(es: AsyncElasticsearch) -> None:
    tokenizer = {
        "type": "nori_tokenizer",
        "decompound_mode": "mixed",
        "user_dictionary_rules": ["세종", "세종시 세종 시"],
    }
    assert await tokens(es, tokenizer=tokenizer, text="세종시") == ["세종시", "세종", "시"]


async def test_number_filter_normalises_korean_numerals(es: AsyncElasticsearch) -> None:
    tokenizer = {"type": "nori_tokenizer", "discard_punctuation": False}
    found = await tokens(es, tokenizer=tokenizer, filter=["nori_number"], text="십만이천오백")
    assert found == ["102500"]


async def test_part_of_speech_filter_with_custom_stoptags(es: AsyncElasticsearch) -> None:
    default = await tokens(
        es, tokenizer="nori_tokenizer", filter=["nori_part_of_speech"], text="연구를"
    )
    assert default == ["연구"]
    keep_particles = {"type": "nori_part_of_speech", "stoptags": ["EP", "EF", "EC", "ETN", "ETM"]}
    found = await tokens(es, tokenizer="nori_tokenizer", filter=[keep_particles], text="연구를")
    assert found == ["연구", "를"]


@pytest.mark.parametrize(
    ("tokenizer", "expected"),
    [
        ({"type": "nori_tokenizer", "decompound_mode": "bogus"}, "decompound_mode"),
        ({"type": "nori_tokenizer", "user_dictionary_rules": ["세종시 세 종 시 군"]}, "세종시"),
        ({"type": "nori_tokenizer", "user_dictionary_rules": ["세종", "세종"]}, "세종"),
    ],
    ids=["unknown-decompound-mode", "malformed-rule", "duplicate-rule"],
)
async def test_bad_settings_are_rejected_by_index_creation(
    es: AsyncElasticsearch, index_prefix: str, tokenizer: dict[str, Any], expected: str
) -> None:
    analysis = {
        "tokenizer": {"t": tokenizer},
        "analyzer": {"a": {"type": "custom", "tokenizer": "t"}},
    }
    with pytest.raises(BadRequestError) as caught:
        await es.indices.create(
            index=f"{index_prefix}bad-settings", settings={"analysis": analysis}
        )
    assert expected in str(caught.value)
