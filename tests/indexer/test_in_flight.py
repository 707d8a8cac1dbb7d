"""`indexer.pipeline.in_flight`, alone: batches run a few at once; a step's failure cancels
the others, a source's failure waits for them (what was read is written and counted)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from indexer.pipeline import in_flight


class SourceBroke(Exception):
    pass


async def _read(*batches: list[Any], then_fail: bool) -> AsyncIterator[list[Any]]:
    for batch in batches:
        yield batch
    if then_fail:
        raise SourceBroke("page 2")


async def test_a_source_failure_waits_for_the_batches_already_read() -> None:
    written: list[list[Any]] = []

    async def write(batch: list[Any]) -> None:
        await asyncio.sleep(0.05)  # a bulk request still on its way when the source fails
        written.append(batch)

    with pytest.raises(SourceBroke):
        await in_flight(_read(["a"], ["b"], then_fail=True), write, limit=2)
    assert sorted(written) == [["a"], ["b"]]


async def test_a_step_failure_cancels_the_other_steps() -> None:
    ended: list[str] = []

    async def write(batch: list[Any]) -> None:
        if batch == ["bad"]:
            raise RuntimeError("bulk refused")
        try:
            await asyncio.sleep(5)
            ended.append("slow")
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise

    with pytest.raises(RuntimeError, match="bulk refused"):
        await in_flight(_read(["slow"], ["bad"], ["never"], then_fail=False), write, limit=2)
    assert ended == ["cancelled"]
