"""The URL map: each resource's routes, in one place."""

from __future__ import annotations

from aiohttp import web

from service.routes import export, feeds, health, history, suggest, sync_runs, trials


def setup_routes(app: web.Application) -> None:
    # /trials/export and /trials/recent come before /trials/{trial_id}, so they match first.
    tables = (export.routes, trials.routes, history.routes, feeds.routes)
    for table in (*tables, sync_runs.routes, health.routes):
        app.add_routes(table)
    suggest.setup(app)  # its route and its answer cache
