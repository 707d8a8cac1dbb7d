"""The indexer's named errors.

SourceError                 a registry could not be read (the run of that source fails)
├── TransientSourceError    timeouts, 429, 5xx, connection errors, after the capped retries
└── PermanentSourceError    retrying will not help
    ├── BadKey              the portal does not accept the service key
    ├── QuotaExceeded       the portal's traffic allowance is used up
    └── BadResponse         an error body or a shape we cannot read
RecordRejected              one malformed record; counted and named, the run goes on
"""

from __future__ import annotations


class SourceError(Exception):
    """A registry could not be read; `cause` says why in words an operator can act on."""

    def __init__(self, source: str, cause: str) -> None:
        super().__init__(f"{source}: {cause}")
        self.source = source
        self.cause = cause


class TransientSourceError(SourceError):
    pass


class PermanentSourceError(SourceError):
    pass


class BadKey(PermanentSourceError):
    pass


class QuotaExceeded(PermanentSourceError):
    pass


class BadResponse(PermanentSourceError):
    pass


class RecordRejected(ValueError):
    """A record that cannot become a trial (no id, unparseable date, wrong type); `reason` names
    the field. The pipeline, which knows the record's id, names the record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
