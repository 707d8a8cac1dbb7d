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
        "retry_on_timeout": True,
        "max_retries": 2,
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
