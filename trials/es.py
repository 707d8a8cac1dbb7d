"""The Elasticsearch client factory: settings in, one configured async client out."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.serializer import OrjsonSerializer

from trials.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for the client; pure, so a test can check settings → options."""
    options: dict[str, Any] = {
        "hosts": list(settings.es_hosts),
        "request_timeout": settings.es_timeout_s,
        # A request that fails on a node (connection refused or reset, a timeout, 429/502/
        # 503/504) is sent again to the next node, round robin, while the failed node rests
        # (backoff doubling from 1 s up to 30 s): with a node of a cluster gone, callers see
        # no error. Enough retries to reach every configured node, and never fewer than 2.
        "retry_on_timeout": True,
        "max_retries": max(2, len(settings.es_hosts)),
        "node_selector_class": "round_robin",
        # The configured hosts only: sniffing would replace them with the nodes' publish
        # addresses, which a client behind Docker, a proxy or a cloud endpoint cannot reach.
        "sniff_on_start": False,
        "sniff_on_node_failure": False,
        # orjson (a dependency anyway) parses and writes several times faster than json
        "serializer": OrjsonSerializer(),
    }
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    elif settings.es_username:
        options["basic_auth"] = (settings.es_username, settings.es_password)
    if settings.es_ca_certs is not None:
        options["ca_certs"] = str(settings.es_ca_certs)
    return options


def make_client(settings: Settings) -> AsyncElasticsearch:
    return AsyncElasticsearch(**client_options(settings))
