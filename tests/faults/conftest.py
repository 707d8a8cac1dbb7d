"""Fixtures of the fault tests: the indexer tests' world (fake registry + own indices on the
session's node) is reused as is; tests that stop a node get a private one (`private_node`)."""

from __future__ import annotations

from tests.indexer.conftest import env

__all__ = ["env"]
