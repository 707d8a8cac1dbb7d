"""Faults injected by tests that predate this report (tests/indexer, tests/service,
tests/ops): what each injects, how often per run, and what the test asserts the system does.
The fault and hostile suites of tests/faults and tests/hostile describe themselves (see
tests/faults/evidence.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Known:
    test: str  # pytest node id (a prefix matches every parametrisation)
    fault: str
    injected: int
    behaviour: str
    lost: int | None  # records lost, as the test asserts; None: no records at stake


IDX = "tests/indexer/test_faults.py::"
CON = "tests/indexer/test_concurrency.py::"
SYN = "tests/indexer/test_sync.py::"
SVC = "tests/service/"

KNOWN = [
    Known(
        IDX + "test_5xx_and_timeouts_are_retried_then_succeed",
        "registry 500 twice, then a request hanging past the 1 s timeout",
        3,
        "retried with backoff and jitter; completed, all 145 records created",
        0,
    ),
    Known(
        IDX + "test_429_honours_retry_after",
        "registry 429 with Retry-After: 1",
        1,
        "waited the second it was told (not its 10 ms backoff); completed",
        0,
    ),
    Known(
        IDX + "test_retries_are_capped_and_the_run_fails_clearly",
        "registry 500 on every request",
        4,
        "gave up after 4 tries; run failed: 'icreat: HTTP 500 (gave up after 4 tries)'",
        None,
    ),
    Known(
        IDX + "test_bad_key_is_reported_clearly_for_each_portal_shape",
        "wrong service key (odcloud JSON -401; gateway XML code 30)",
        2,
        "failed at once naming the cause; not retried; error kind 'source' in the sync log",
        None,
    ),
    Known(
        IDX + "test_quota_is_named",
        "gateway XML quota error (code 22)",
        1,
        "failed naming the quota",
        None,
    ),
    Known(
        IDX + "test_missing_key_fails_before_any_request",
        "no service key configured",
        1,
        "failed naming TRIALS_DATA_GO_KR_KEY before any request",
        None,
    ),
    Known(
        IDX + "test_one_failing_source_never_stops_the_others",
        "one source with a bad key among two",
        1,
        "that source failed; ctgov completed with every study",
        0,
    ),
    Known(
        IDX + "test_ctgov_unknown_parameter_is_a_clear_permanent_error",
        "ClinicalTrials.gov 400 for an unknown query parameter",
        1,
        "failed: 'ctgov: HTTP 400: `query.recrs` is unknown parameter'",
        None,
    ),
    Known(
        IDX + "test_a_detail_that_keeps_failing_fails_only_that_record",
        "CRIS detail answering 503 for one changed record",
        4,
        "run partial, that record counted failed and named; retried and updated next run",
        0,
    ),
    Known(
        SYN + "test_overlapping_pages_are_deduplicated",
        "overlapping iCReaT pages (the gateway's LIMIT bug)",
        1,
        "de-duplicated: 145 fetched, 145 created, 145 stored",
        0,
    ),
    Known(
        SYN + "test_a_short_read_marks_nothing_removed",
        "totalCount larger than the records served",
        1,
        "completed, nothing tombstoned, the shortfall named in the message",
        0,
    ),
    Known(
        CON + "test_a_killed_run_converges_on_rerun_without_duplicates",
        "SIGKILL of `trials index` between pages",
        1,
        "next run closed the dead run as failed and converged: 2,000 records once each",
        0,
    ),
    Known(
        CON + "test_an_older_version_write_gets_409_and_is_counted_stale",
        "a slow writer with an older version",
        1,
        "409 from the node, counted stale, newer data kept",
        0,
    ),
    Known(
        CON + "test_a_second_run_of_the_same_source_is_refused",
        "a second run while the source's lock is held",
        1,
        "SyncAlreadyRunning before any registry request; other sources unaffected",
        None,
    ),
    Known(
        CON + "test_an_expired_lock_is_taken_over",
        "a lock left with a past expiry",
        1,
        "taken over; the run completed",
        None,
    ),
    Known(
        CON + "test_a_lock_of_a_dead_process_on_this_host_is_taken_over",
        "a lock held by a dead process on this host",
        1,
        "taken over; the run completed",
        None,
    ),
    Known(
        CON + "test_a_dead_run_is_closed_as_failed_by_the_next",
        "a sync-log document left `running` by a dead run",
        1,
        "closed as failed with its last heartbeat by the next run",
        None,
    ),
    Known(
        CON + "test_a_clock_behind_the_last_run_still_writes_newer_versions",
        "a previous run stamped by a clock an hour ahead",
        1,
        "versions still grow; the change written, nothing counted stale",
        0,
    ),
    Known(
        SVC + "test_errors.py::test_node_down_is_503_and_recovers",
        "connection to the node cut (TCP relay closed) and restored",
        1,
        "every endpoint 503 problem with Retry-After; /health 200; recovered, same app",
        None,
    ),
    Known(
        SVC + "test_errors.py::test_indices_missing_is_503",
        "indices never created",
        1,
        "503 problem naming `trials es init`; /ready 503",
        None,
    ),
    Known(
        SVC + "test_sync_runs.py::test_admin_auth",
        "admin POST with no, Basic, empty and wrong bearer tokens",
        5,
        "401 (with WWW-Authenticate) or 403 problems; nothing started",
        None,
    ),
    Known(
        SVC + "test_sync_runs.py::test_admin_disabled_without_a_token",
        "admin POST while no admin token is configured",
        1,
        "403 problem: disabled",
        None,
    ),
    Known(
        SVC + "test_sync_runs.py::test_unexpected_errors_are_500_problems_without_details",
        "the launcher raising an unexpected error",
        1,
        "500 problem without the exception text or a traceback",
        None,
    ),
    Known(
        SVC + "test_sync_runs.py::test_oversized_body_is_a_413_problem",
        "a 2 MiB admin body",
        1,
        "413 problem",
        None,
    ),
    Known(
        "tests/ops/test_compose.py::test_only_the_api_listens_on_all_interfaces",
        "the compose stack's published ports",
        1,
        "only the API on all interfaces; Elasticsearch and Kibana on 127.0.0.1",
        None,
    ),
]

# Security claims and the tests that hold them (pass/fail is read from the same run).
SECURITY = [
    (
        "tests/service/test_sync_runs.py::test_admin_auth",
        "admin POST refuses a missing, non-Bearer, empty or wrong token (401/403 problem)",
    ),
    (
        "tests/hostile/test_cursors_and_admin.py::test_admin_refuses_hostile_credentials",
        "…and a token prefix, non-ASCII bytes, a 20 KB token, the token in another header",
    ),
    (
        "tests/hostile/test_cursors_and_admin.py::test_admin_token_in_the_query_string",
        "…and the token in the query string",
    ),
    (
        "tests/hostile/test_secrets.py::test_the_service_never_echoes_or_logs_its_secrets",
        "`trials serve` at debug level: no admin token or registry key in any response or log line",
    ),
    (
        "tests/hostile/test_secrets.py::test_a_sync_never_writes_the_key_to_its_output",
        "`trials index` at debug level (ok, 500s, bad key, quota, not JSON, registry down): the key"
        " never in its output nor in the sync log the API serves",
    ),
    (
        "tests/ops/test_compose.py::test_only_the_api_listens_on_all_interfaces",
        "compose publishes only the API; Elasticsearch and Kibana on 127.0.0.1",
    ),
    (
        "tests/hostile/test_sweep.py::test_the_builder_emits_no_pattern_or_script_query",
        "the query builder never emits a script, regexp, wildcard, fuzzy, prefix or query_string"
        " query for any text (hypothesis, 300 examples)",
    ),
]

SUITES = sorted(
    {k.test.split("::")[0] + "::" + k.test.split("::")[1] for k in KNOWN}
    | {test for test, _ in SECURITY if not test.startswith(("tests/faults", "tests/hostile"))}
)
