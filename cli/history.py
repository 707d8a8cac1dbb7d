"""`trials history <id>`: what changed in one trial, newest first, read from the history the
indexer writes (`trials-history`); a table, or `--json`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from cli.common import CommandError, add_command, add_json_flag, aligned, print_json
from trials.settings import Settings

SHOWN = 40  # characters of a value in the table


def register(commands: Any) -> None:
    history = add_command(commands, "history", "Show what changed in one trial, newest first")
    history.add_argument("trial_id", help="our id (ctgov:NCT05923281) or the registry id")
    history.add_argument("--limit", type=int, default=50, help="how many changes (default 50)")
    add_json_flag(history)
    history.set_defaults(handler=history_command)


def history_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1", 2)
    entries = asyncio.run(_read(settings, args.trial_id, args.limit))
    if not entries:
        raise CommandError(f"no history for {args.trial_id!r} (unknown id, or not synced yet)")
    if args.json:
        print_json({"trial_id": entries[0]["trial_id"], "history": entries})
    else:
        print(history_table(entries))
    return 0


async def _read(settings: Settings, trial_id: str, limit: int) -> list[dict[str, Any]]:
    from elasticsearch import ApiError, TransportError

    from trials.es import make_client
    from trials.indices import Names

    es = make_client(settings)
    by = "trial_id" if ":" in trial_id else "registry_id"  # registry ids: any letter case
    try:
        found = await es.search(
            index=Names.from_settings(settings).history,
            query={"term": {by: trial_id}},
            sort=[{"at": "desc"}, {"from_version": {"order": "desc", "missing": "_last"}}],
            size=limit,
        )
    except (ApiError, TransportError) as exc:
        raise CommandError(f"cannot read the history from Elasticsearch: {exc}") from exc
    finally:
        await es.close()
    return [hit["_source"] | {"id": hit["_id"]} for hit in found["hits"]["hits"]]


def history_table(entries: list[dict[str, Any]]) -> str:
    rows = [("AT", "CHANGE", "RUN", "WHAT CHANGED")]
    rows += [
        (e["at"], e["change"], e.get("run_id", ""), changes_text(e.get("fields", [])))
        for e in entries
    ]
    return f"{entries[0]['trial_id']}\n{aligned(rows)}"


def changes_text(fields: list[dict[str, Any]]) -> str:
    """`status: recruiting → completed; conditions: +위암 −폐암`."""
    parts = []
    for field in fields:
        if "added" in field or "removed" in field:
            bits = [f"+{_short(v)}" for v in field.get("added", [])]
            bits += [f"−{_short(v)}" for v in field.get("removed", [])]
            parts.append(f"{field['field']}: {' '.join(bits) or '(reordered)'}")
        else:
            parts.append(
                f"{field['field']}: {_short(field.get('old'))} → {_short(field.get('new'))}"
            )
    return "; ".join(parts) or "-"


def _short(value: Any) -> str:
    text = "-" if value is None else str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"
