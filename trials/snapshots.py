"""Backups as Elasticsearch snapshots of the indices behind the `trials` and sync-log aliases.

The repository is `<prefix>trials-backups`: a filesystem repository inside the node's
`path.repo`, registered on first use, unless an operator registered one of that name already
(S3, GCS, Azure: then that one is used as it is). A snapshot records in its metadata which
index stood behind which alias and how many documents each held.

Restore never touches the live indices: each index comes back under a new name (the alias's
usual `<alias>-v<version>-<timestamp>` with the restore's timestamp), its document count is
checked against the snapshot's, and then one `_aliases` call moves both aliases at once, so a
running service reads the old data until it reads the restored data, never neither. The
replaced indices are kept (or deleted when asked).

The locks index is not backed up: a lock is the lease of a sync running at snapshot time, and
restoring it would block that source's syncs until the lease expired.

Errors:
    BackupError
    ├── RepositoryNotConfigured   the cluster has no snapshot folder (path.repo) for us
    ├── NothingToBackUp           an alias has no index (`trials es init` first)
    └── SnapshotNotFound          no such snapshot, or none at all for --latest
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, NotFoundError

from trials.indices import Names, indices_behind
from trials.settings import Settings

BACKED_UP = ("trials", "sync_log")
STAMP = "%Y%m%d%H%M%S%f"  # as trials.indices names indices


class BackupError(RuntimeError):
    """A backup could not be made, listed or restored; the message says what to do."""


class RepositoryNotConfigured(BackupError):
    pass


class NothingToBackUp(BackupError):
    pass


class SnapshotNotFound(BackupError):
    pass


@dataclass(frozen=True)
class Backup:
    name: str
    state: str  # SUCCESS, PARTIAL, FAILED, IN_PROGRESS (Elasticsearch's words)
    started_at: str
    indices: dict[str, str]  # alias -> the index behind it when the snapshot was taken
    counts: dict[str, int]  # alias -> documents it held

    @classmethod
    def from_snapshot(cls, found: dict[str, Any]) -> Backup:
        meta = (found.get("metadata") or {}).get("trials", {})
        return cls(
            name=found["snapshot"],
            state=found["state"],
            started_at=found.get("start_time", ""),
            indices=dict(meta.get("indices", {})),
            counts={alias: int(n) for alias, n in meta.get("counts", {}).items()},
        )


@dataclass(frozen=True)
class Restored:
    backup: Backup
    indices: dict[str, str]  # alias -> the restored index it now points at
    replaced: list[str]  # the indices the aliases left (deleted when asked)


def repository_name(names: Names) -> str:
    return f"{names.prefix}trials-backups"


async def ensure_repository(es: AsyncElasticsearch, names: Names) -> str:
    """The repository's name, registering a filesystem one inside path.repo if it is missing."""
    name = repository_name(names)
    try:
        await es.snapshot.get_repository(name=name)
        return name
    except NotFoundError:
        pass
    # Asked first, so the usual case gets a plain answer rather than a failed request (which
    # the client would also log as a node failure).
    lacking = await _nodes_without_path_repo(es)
    if lacking:
        raise RepositoryNotConfigured(_not_configured(name, f"no path.repo on {lacking}"))
    repository = {"type": "fs", "settings": {"location": name}}  # relative: inside path.repo
    try:
        await es.snapshot.create_repository(name=name, repository=repository)
    except ApiError as exc:
        raise RepositoryNotConfigured(_not_configured(name, _reason(exc))) from exc
    return name


async def _nodes_without_path_repo(es: AsyncElasticsearch) -> str:
    """The names of the nodes with no path.repo, comma-separated; empty when all have one."""
    found = await es.nodes.info(
        metric="settings", filter_path="nodes.*.name,nodes.*.settings.path.repo"
    )
    nodes = found.body.get("nodes", {}).values()
    return ", ".join(
        sorted(n["name"] for n in nodes if not n.get("settings", {}).get("path", {}).get("repo"))
    )


def _not_configured(name: str, reason: str) -> str:
    return (
        f"no snapshot repository {name!r} and none can be registered ({reason}): "
        f"`trials es start` sets path.repo on the local node; on another cluster set "
        f"path.repo on every node, or register {name!r} yourself (S3, GCS: see the README)"
    )


def _reason(exc: ApiError) -> str:
    error = exc.body.get("error", {}) if isinstance(exc.body, dict) else {}
    causes = error.get("root_cause") or [error]
    return str(causes[0].get("reason") or exc.message) if causes and causes[0] else exc.message


async def create(es: AsyncElasticsearch, names: Names, now: datetime | None = None) -> Backup:
    """Snapshot the indices behind the backed-up aliases; returns it once complete."""
    repository = await ensure_repository(es, names)
    indices, counts = await _current(es, names)
    name = f"{names.prefix}trials-{(now or datetime.now(UTC)).strftime(STAMP)}"
    done = await es.snapshot.create(
        repository=repository,
        snapshot=name,
        indices=list(indices.values()),
        include_global_state=False,
        wait_for_completion=True,
        metadata={"trials": {"indices": indices, "counts": counts}},
    )
    backup = Backup.from_snapshot(done["snapshot"])
    if backup.state != "SUCCESS":
        raise BackupError(f"snapshot {name} ended {backup.state}: {done['snapshot']}")
    return backup


async def _current(es: AsyncElasticsearch, names: Names) -> tuple[dict[str, str], dict[str, int]]:
    indices: dict[str, str] = {}
    counts: dict[str, int] = {}
    for spec in BACKED_UP:
        alias = names.alias(spec)
        behind = await indices_behind(es, alias)
        if not behind:
            raise NothingToBackUp(f"alias {alias} has no index: run `trials es init` first")
        indices[alias] = behind[-1]
        await es.indices.refresh(index=alias)
        counts[alias] = int((await es.count(index=alias))["count"])
    return indices, counts


async def backups(es: AsyncElasticsearch, names: Names) -> list[Backup]:
    """Every snapshot in the repository, oldest first."""
    repository = await ensure_repository(es, names)
    found = await es.snapshot.get(repository=repository, snapshot="*", sort="start_time")
    return [Backup.from_snapshot(snapshot) for snapshot in found["snapshots"]]


async def find(es: AsyncElasticsearch, names: Names, name: str | None) -> Backup:
    """The snapshot called `name`, or the newest successful one when `name` is None."""
    every = await backups(es, names)
    if name is None:
        done = [backup for backup in every if backup.state == "SUCCESS"]
        if not done:
            raise SnapshotNotFound(f"no successful backup in {repository_name(names)}")
        return done[-1]
    for backup in every:
        if backup.name == name:
            return backup
    known = ", ".join(backup.name for backup in every[-5:]) or "none"
    raise SnapshotNotFound(f"no backup named {name!r} (latest: {known})")


async def restore(
    es: AsyncElasticsearch,
    settings: Settings,
    name: str | None,
    drop_replaced: bool = False,
    now: datetime | None = None,
) -> Restored:
    """Restore `name` (None: the latest) beside the live indices, then swap the aliases."""
    names = Names.from_settings(settings)
    backup = await find(es, names, name)
    if backup.state != "SUCCESS" or not backup.indices:
        raise BackupError(f"backup {backup.name} is {backup.state}, not made by `trials backup`")
    stamp = (now or datetime.now(UTC)).strftime(STAMP)
    restored = {alias: restored_name(index, stamp) for alias, index in backup.indices.items()}
    for alias, index in backup.indices.items():
        await _restore_one(es, settings, backup.name, index, restored[alias])
    await _check_counts(es, backup, restored)
    replaced = await swap_aliases(es, restored)
    if drop_replaced and replaced:
        await es.indices.delete(index=replaced)
    return Restored(backup, restored, replaced)


def restored_name(index: str, stamp: str) -> str:
    """`<alias>-v<version>-<timestamp>` with the restore's timestamp; other names get a suffix."""
    head, _, tail = index.rpartition("-")
    if head and tail.isdigit() and len(tail) == len(stamp):
        return f"{head}-{stamp}"
    return f"{index}-restored-{stamp}"


async def _restore_one(
    es: AsyncElasticsearch, settings: Settings, snapshot: str, index: str, target: str
) -> None:
    await es.snapshot.restore(
        repository=repository_name(Names.from_settings(settings)),
        snapshot=snapshot,
        indices=[index],
        rename_pattern="(.+)",
        rename_replacement=target,
        include_aliases=False,  # the aliases move together below, in one atomic call
        include_global_state=False,
        # The replicas this cluster is configured for, not those of the cluster it came from.
        index_settings={"index.number_of_replicas": settings.index_replicas},
        wait_for_completion=True,
    )
    await es.cluster.health(index=target, wait_for_status="yellow", timeout="60s")


async def _check_counts(es: AsyncElasticsearch, backup: Backup, restored: dict[str, str]) -> None:
    for alias, index in restored.items():
        count = int((await es.count(index=index))["count"])
        if alias in backup.counts and count != backup.counts[alias]:
            raise BackupError(
                f"restored {index} holds {count} documents, the backup says "
                f"{backup.counts[alias]}: the aliases were left as they were"
            )


async def swap_aliases(es: AsyncElasticsearch, targets: dict[str, str]) -> list[str]:
    """Point each alias at its target only, all in one atomic call; the indices they left."""
    actions: list[dict[str, dict[str, Any]]] = []
    replaced: list[str] = []
    for alias, target in targets.items():
        for index in await indices_behind(es, alias):
            actions.append({"remove": {"index": index, "alias": alias}})
            replaced.append(index)
        actions.append({"add": {"index": target, "alias": alias, "is_write_index": True}})
    await es.indices.update_aliases(actions=actions)
    return replaced
