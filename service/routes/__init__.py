"""The URL map: each resource's routes, in one place."""

from __future__ import annotations

from aiohttp import web

from service.routes import health, suggest, sync_runs, trials


def setup_routes(app: web.Application) -> None:
    # `trials.routes` lists /trials/recent before /trials/{trial_id}, so it matches first.
    for table in (trials.routes, suggest.routes, sync_runs.routes, health.routes):
        app.add_routes(table)
