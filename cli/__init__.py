"""The `trials` command line. Each command group lives in its own module and registers itself;
commands import `indexer` or `service` lazily, inside the command, never at import time.

Exit codes: 0 success, 1 the job failed, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli import esnode, indexing, ops, serving
from cli.common import CommandError
from trials import __version__
from trials.logs import configure_logging, secret_values
from trials.settings import Settings, SettingsError

GROUPS = (esnode, indexing, serving, ops)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trials",
        description="Clinical-trial registries in Elasticsearch, with Korean full-text search.",
    )
    parser.add_argument("--version", action="version", version=f"trials {__version__}")
    parser.set_defaults(needs_valid_settings=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings: Settings | None = Settings.from_env()
    except SettingsError as exc:
        if args.needs_valid_settings:
            print(f"trials: {exc}", file=sys.stderr)
            return 2
        settings = None  # `trials config` runs anyway: it is how people find what is wrong
    if settings is not None:
        configure_logging(settings.log_level, settings.log_format, secrets=secret_values(settings))
    try:
        code: int = args.handler(args, settings)
    except CommandError as exc:
        print(f"trials: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("trials: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
