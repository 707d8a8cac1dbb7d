"""Errors of the local-node tooling; each message tells the operator what to do next."""


class LocalNodeError(RuntimeError):
    """The local node could not be provisioned, started, stopped or read."""
