"""Typed keys for what the application holds: settings, the ES client, its batched reads,
the launcher, cursors."""

from __future__ import annotations

from aiohttp import web
from elasticsearch import AsyncElasticsearch

from service.batched_get import BatchedGet
from service.cursor import CursorCodec
from trials.indices import Names
from trials.launcher import SyncLauncher
from trials.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
NAMES = web.AppKey("names", Names)
ES = web.AppKey("es", AsyncElasticsearch)
DOCS = web.AppKey("docs", BatchedGet)
CURSORS = web.AppKey("cursors", CursorCodec)
LAUNCHER: web.AppKey[SyncLauncher | None] = web.AppKey("launcher")
