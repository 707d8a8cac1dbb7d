"""The `trials` command line. Each command group lives in its own module and registers itself;
commands import `indexer` or `service` lazily, inside the command, never at import time.

Exit codes (the README lists them too):
  0    success: every source of `trials index` completed, the node started, ...
  1    the job failed: a source's run ended partial, failed or cancelled, or was not run;
       Elasticsearch unreachable or an index missing; the node could not be provisioned
  2    usage or configuration error: a bad option (argparse), an invalid TRIALS_* setting
  130  interrupted (Ctrl-C)
  141  stdout was closed early (a pipe such as `| head`)
Output: tables and results on stdout (`--json`: one JSON document there, nothing else); progress,
heartbeats and error messages on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import backup, esnode, history, indexing, ops, serving
from cli.common import CommandError
from trials import __version__
from trials.logs import configure_logging, secret_values
from trials.settings import Settings, SettingsError

GROUPS = (esnode, indexing, serving, ops, backup, history)


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
        sys.stdout.flush()  # here, so a reader gone early is caught below, not at exit
    except CommandError as exc:
        print(f"trials: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("trials: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
    return code


def _silence_stdout() -> None:
    """The reader left (`trials runs | head`): point stdout at /dev/null so the interpreter's
    final flush does not raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
