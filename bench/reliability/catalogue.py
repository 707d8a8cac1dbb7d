"""What the report lists: each fault test and what it injects, and the security and deployment
checks. Descriptions only, never results: how many times a fault was injected and what the
system did come from the evidence the tests write while running (tests/faults/evidence.py),
pass or fail from the test outcomes. A fault test that ran without writing evidence is
reported as not measured."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    test: str  # pytest node id; it also matches each of its parametrisations
    injects: str  # what the test does to the system, not what comes of it


@dataclass(frozen=True)
class Check:
    test: str
    claim: str  # what the test asserts
    kind: str  # "security" or "deployment": checked, but no fault is injected


FLT = "tests/faults/"
REG = FLT + "test_registry_faults.py::"
IDX = "tests/indexer/test_faults.py::"
CON = "tests/indexer/test_concurrency.py::"
SYN = "tests/indexer/test_sync.py::"
SVC = "tests/service/"
RUNS = SVC + "test_sync_runs.py::"
HOS = "tests/hostile/"

FAULTS = [
    Fault(
        REG + "test_a_body_that_is_not_json_fails_the_run_clearly",
        "registry 200 with a body that is not JSON",
    ),
    Fault(
        REG + "test_a_connection_dropped_mid_body_is_retried",
        "registry drops the connection half-way through a body",
    ),
    Fault(
        REG + "test_the_gateway_xml_error_mid_crawl_keeps_what_was_stored",
        "the gateway's XML error body on page 2 of 3, after a change on page 1",
    ),
    Fault(
        REG + "test_an_empty_page_in_the_middle_ends_the_crawl_without_tombstones",
        "an empty page in the middle of a crawl (page 2 of 3)",
    ),
    Fault(
        REG + "test_duplicate_ids_across_pages_are_stored_once",
        "a record repeated on a later page (duplicate id)",
    ),
    Fault(
        REG + "test_pages_larger_than_asked_for_are_read_whole_and_deduplicated",
        "pages 7 rows larger than the perPage asked for",
    ),
    Fault(
        REG + "test_retries_back_off_exponentially_with_jitter",
        "registry 500 on five requests in a row, each retry timed where it arrives",
    ),
    Fault(
        IDX + "test_5xx_and_timeouts_are_retried_then_succeed",
        "registry 500 twice, then a request hanging past the 1 s timeout",
    ),
    Fault(IDX + "test_429_honours_retry_after", "registry 429 with Retry-After: 1"),
    Fault(
        IDX + "test_retries_are_capped_and_the_run_fails_clearly", "registry 500 on every request"
    ),
    Fault(
        IDX + "test_bad_key_is_reported_clearly_for_each_portal_shape",
        "a wrong service key (odcloud JSON -401; gateway XML code 30)",
    ),
    Fault(IDX + "test_quota_is_named", "the gateway's XML quota error (code 22)"),
    Fault(IDX + "test_missing_key_fails_before_any_request", "no service key configured"),
    Fault(
        IDX + "test_one_failing_source_never_stops_the_others",
        "icreat with a wrong key, run together with ctgov",
    ),
    Fault(
        IDX + "test_ctgov_unknown_parameter_is_a_clear_permanent_error",
        "a ClinicalTrials.gov query with an unknown parameter (answered 400)",
    ),
    Fault(
        IDX + "test_a_detail_that_keeps_failing_fails_only_that_record",
        "CRIS detail answering 503 for the one changed record",
    ),
    Fault(
        SYN + "test_overlapping_pages_are_deduplicated",
        "iCReaT pages overlapping the ones before (the gateway's LIMIT bug), every page",
    ),
    Fault(
        SYN + "test_a_short_read_marks_nothing_removed",
        "CRIS list pages whose totalCount is 2 more than the records served",
    ),
    Fault(
        FLT + "test_kill_mid_bulk.py::test_killed_during_a_bulk_request_the_next_run_converges",
        "SIGKILL of `trials index` while a `_bulk` request is in flight (applied, answer withheld)",
    ),
    Fault(
        CON + "test_a_killed_run_converges_on_rerun_without_duplicates",
        "SIGKILL of `trials index` between pages",
    ),
    Fault(
        CON + "test_an_older_version_write_gets_409_and_is_counted_stale",
        "a slow writer's write with an older version",
    ),
    Fault(
        CON + "test_a_second_run_of_the_same_source_is_refused",
        "a second run while the source's lock is held",
    ),
    Fault(CON + "test_an_expired_lock_is_taken_over", "a lock left with a past expiry"),
    Fault(
        CON + "test_a_lock_of_a_dead_process_on_this_host_is_taken_over",
        "a lock held by a dead process on this host",
    ),
    Fault(
        CON + "test_a_dead_run_is_closed_as_failed_by_the_next",
        "a sync-log document left `running` by a dead run",
    ),
    Fault(
        CON + "test_a_clock_behind_the_last_run_still_writes_newer_versions",
        "a previous run stamped by a clock an hour ahead",
    ),
    Fault(
        FLT + "test_two_processes.py::test_two_processes_one_runs_the_other_refuses",
        "two `trials index --source icreat` processes started at once",
    ),
    Fault(
        FLT + "test_node_faults.py::test_node_stopped_mid_sync_then_the_next_run_converges",
        "the node stopped (SIGTERM) in the middle of a `trials index` run, then started",
    ),
    Fault(
        FLT + "test_node_faults.py::test_the_api_rides_out_a_node_restart_under_load",
        "the node stopped and started while 6 clients load the API",
    ),
    Fault(
        SVC + "test_errors.py::test_node_down_is_503_and_recovers",
        "the connection to the node cut (TCP relay closed), then restored",
    ),
    Fault(
        SVC + "test_errors.py::test_indices_missing_is_503",
        "the service started on indices never created",
    ),
]

CHECKS = [
    Check(
        RUNS + "test_admin_auth",
        "admin POST refuses a missing, non-Bearer, empty or wrong token (401/403 problem)",
        "security",
    ),
    Check(
        HOS + "test_cursors_and_admin.py::test_admin_refuses_hostile_credentials",
        "…and a token prefix, non-ASCII bytes, a 20 KB token, the token in another header",
        "security",
    ),
    Check(
        HOS + "test_cursors_and_admin.py::test_admin_token_in_the_query_string_is_not_accepted",
        "…and the token in the query string",
        "security",
    ),
    Check(
        RUNS + "test_admin_disabled_without_a_token",
        "admin POST with no admin token configured: 403 problem, disabled",
        "security",
    ),
    Check(
        RUNS + "test_oversized_body_is_a_413_problem", "a 2 MiB admin body: 413 problem", "security"
    ),
    Check(
        RUNS + "test_unexpected_errors_are_500_problems_without_details",
        "a launcher raising an unexpected error: 500 problem without the exception text or a"
        " traceback",
        "security",
    ),
    Check(
        HOS + "test_secrets.py::test_the_service_never_echoes_or_logs_its_secrets",
        "`trials serve` at debug level: no admin token or registry key in any response or log line",
        "security",
    ),
    Check(
        HOS + "test_secrets.py::test_a_sync_never_writes_the_key_to_its_output_or_the_sync_log",
        "`trials index` at debug level (ok, 500s, bad key, quota, not JSON, registry down): the key"
        " never in its output nor in the sync log the API serves",
        "security",
    ),
    Check(
        HOS + "test_sweep.py::test_the_builder_emits_no_pattern_or_script_query_for_any_text",
        "the query builder never emits a script, regexp, wildcard, fuzzy, prefix or query_string"
        " query for any text (hypothesis)",
        "security",
    ),
    Check(
        "tests/ops/test_compose.py::test_only_the_api_listens_on_all_interfaces",
        "compose publishes only the API on all interfaces; Elasticsearch and Kibana on 127.0.0.1",
        "deployment",
    ),
]


def suites(own: tuple[str, ...]) -> list[str]:
    """The node ids (parametrisations included) to run besides the `own` suite folders."""
    tests = {f.test for f in FAULTS} | {c.test for c in CHECKS}
    return sorted(t for t in tests if not t.startswith(own))
