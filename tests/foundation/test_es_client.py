"""The client is set up to ride out the loss of a node: every configured host is used, a failed
request is retried on the next node, and the host list is never replaced by sniffing."""

from __future__ import annotations

from elastic_transport import RoundRobinSelector

from testkit.elastic_node import free_port
from trials.es import client_options, make_client
from trials.settings import Settings

THREE = "http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203"


def test_every_host_of_the_url_list_is_used_round_robin() -> None:
    settings = Settings.from_env({"TRIALS_ES_URL": THREE})
    options = client_options(settings)
    assert options["hosts"] == THREE.split(",")
    assert options["node_selector_class"] == "round_robin"
    assert (options["sniff_on_start"], options["sniff_on_node_failure"]) == (False, False)


def test_retries_reach_every_node_and_never_fall_below_two() -> None:
    three = client_options(Settings.from_env({"TRIALS_ES_URL": THREE}))
    assert three["retry_on_timeout"] is True
    assert three["max_retries"] == 3  # the first try and one more on each other node
    assert client_options(Settings.from_env({}))["max_retries"] == 2


async def test_the_client_built_from_the_options_holds_every_node() -> None:
    client = make_client(Settings.from_env({"TRIALS_ES_URL": THREE}))
    try:
        assert len(client.transport.node_pool.all()) == 3
        assert isinstance(client.transport.node_pool.node_selector, RoundRobinSelector)
    finally:
        await client.close()


async def test_a_request_reaches_the_live_node_behind_three_dead_ones(es_url: str) -> None:
    """Three hosts refuse connections, one is the session's node: every request succeeds,
    whichever host the (shuffled) pool tries first. Two retries alone would fail about one
    client in four: the live node is tried fourth."""
    dead = [f"http://127.0.0.1:{free_port()}" for _ in range(3)]
    settings = Settings.from_env({"TRIALS_ES_URL": ",".join([*dead, es_url])})
    for _ in range(12):
        client = make_client(settings)
        try:
            health = await client.cluster.health()
            assert health["status"] in ("green", "yellow")
        finally:
            await client.close()
