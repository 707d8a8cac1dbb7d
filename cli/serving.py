"""`trials serve [--host] [--port]`: the REST API with Swagger UI at /api/docs."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, Any

from cli.common import add_command
from trials.settings import Settings

if TYPE_CHECKING:
    from elasticsearch import AsyncElasticsearch

    from trials.launcher import SyncLauncher

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    serve_parser = add_command(commands, "serve", "Serve the REST API; Swagger UI is at /api/docs.")
    serve_parser.add_argument("--host", help="address to bind (default: TRIALS_API_HOST)")
    serve_parser.add_argument(
        "--port", type=int, help="port to bind (default: TRIALS_API_PORT, 8080)"
    )
    serve_parser.set_defaults(handler=serve)


def _launcher(settings: Settings, es: AsyncElasticsearch) -> SyncLauncher | None:
    """POST /api/v1/sync-runs runs the indexer in this process, when the indexer is there."""
    try:
        from indexer.launch import make_launcher
    except ImportError as exc:
        log.warning("indexer not importable (%s): admin sync runs are disabled", exc)
        return None
    return make_launcher(settings, es)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from service.accesslog import LOGGER_NAME, AccessLogger
    from service.app import create_app
    from trials.es import make_client
    from trials.logs import configure_logging, secret_values

    configure_logging(settings.log_level, settings.log_format, secrets=secret_values(settings))
    host = args.host or settings.api_host
    port = args.port or settings.api_port
    es = make_client(settings)
    app = create_app(settings, es=es, launcher=_launcher(settings, es))

    async def close_es(_: web.Application) -> None:
        await es.close()

    app.on_cleanup.append(close_es)
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    print(
        f"trials API on http://{shown}:{port}/ — Swagger UI: http://{shown}:{port}/api/docs",
        flush=True,
    )
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        access_log=logging.getLogger(LOGGER_NAME),
        access_log_class=AccessLogger,
    )
    return 0
