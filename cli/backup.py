"""`trials backup create | list | restore`: snapshots of the indices behind the aliases (the
logic is trials/snapshots.py; this module parses, runs and prints)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from cli.common import CommandError, add_command, add_json_flag, aligned, print_json
from trials.settings import Settings

T = TypeVar("T")


def register(commands: Any) -> None:
    backup = add_command(
        commands, "backup", "Back up the trials and sync-log indices as snapshots, and restore."
    )
    sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    add_command(sub, "create", "Snapshot the indices behind the aliases.").set_defaults(
        handler=create
    )
    listing = add_command(sub, "list", "List the backups, oldest first.")
    listing.set_defaults(handler=list_backups)
    add_json_flag(listing)
    restoring = add_command(
        sub,
        "restore",
        "Restore a backup beside the live indices and swap the aliases to it atomically.",
    )
    restoring.set_defaults(handler=restore)
    which = restoring.add_mutually_exclusive_group(required=True)
    which.add_argument("name", nargs="?", help="the backup to restore (see `trials backup list`)")
    which.add_argument("--latest", action="store_true", help="the newest successful backup")
    restoring.add_argument(
        "--drop-replaced",
        action="store_true",
        help="delete the indices the aliases left (kept by default)",
    )


def _run(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """`work(es)` with a client; backup and node errors become one message and exit 1."""
    from elasticsearch import ApiError, TransportError

    from trials.es import make_client
    from trials.snapshots import BackupError

    async def run() -> T:
        async with make_client(settings) as es:
            return await work(es)

    try:
        return asyncio.run(run())
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    except (ApiError, TransportError) as exc:
        raise CommandError(f"Elasticsearch at {settings.es_hosts[0]}: {exc}") from exc


def create(args: argparse.Namespace, settings: Settings) -> int:
    from trials import snapshots
    from trials.indices import Names

    backup = _run(settings, lambda es: snapshots.create(es, Names.from_settings(settings)))
    counts = ", ".join(f"{alias} {n} documents" for alias, n in backup.counts.items())
    print(f"backup {backup.name} created: {counts}")
    return 0


def list_backups(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from trials import snapshots
    from trials.indices import Names

    found = _run(settings, lambda es: snapshots.backups(es, Names.from_settings(settings)))
    if args.json:
        print_json({"backups": [asdict(backup) for backup in found]})
    elif found:
        print(backups_table(found))
    else:
        print("no backups yet (`trials backup create` makes one)")
    return 0


def backups_table(found: list[Any]) -> str:
    """One line per backup: name, state, start (UTC), documents per alias."""
    rows = [["name", "state", "started", "documents"]]
    for backup in found:
        counts = ", ".join(f"{alias} {n}" for alias, n in backup.counts.items())
        rows.append([backup.name, backup.state, backup.started_at, counts or "-"])
    return aligned(rows)


def restore(args: argparse.Namespace, settings: Settings) -> int:
    from trials import snapshots

    name = None if args.latest else args.name
    done = _run(
        settings, lambda es: snapshots.restore(es, settings, name, drop_replaced=args.drop_replaced)
    )
    print(f"restored backup {done.backup.name}")
    for alias, index in done.indices.items():
        print(f"{alias} -> {index} ({done.backup.counts.get(alias, '?')} documents)")
    if done.replaced:
        verb = "deleted" if args.drop_replaced else "kept, delete when no longer needed"
        print(f"replaced indices ({verb}): {', '.join(done.replaced)}")
    return 0
