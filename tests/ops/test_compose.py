"""docker-compose.yml validates with the docker compose CLI (no engine needed: it only parses),
and the stack has the shape operators rely on. The Dockerfiles are checked as text: no engine
runs here to build them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli import build_parser
from localnode.versions import ES_VERSION
from trials.settings import Settings

from .conftest import REPO

APP_SERVICES = ("es-init", "api", "scheduler")
# Settings that compose sets itself or that only the local node (`trials es ...`) uses.
FIXED_IN_COMPOSE = {"TRIALS_API_HOST", "TRIALS_API_PORT", "TRIALS_KIBANA_URL"}
LOCAL_NODE_ONLY = {"TRIALS_ES_PORT", "TRIALS_ES_HOME"}


def compose_command() -> list[str]:
    """`docker compose` (v2 plugin) when present, else the standalone `docker-compose`."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    # Never a skip: a missing tool would turn these checks green without running them.
    pytest.fail("these tests need the docker compose CLI: `make compose-cli` installs it")


def compose(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    clean.pop("ES_VERSION", None)
    return subprocess.run(
        [*compose_command(), "--project-directory", str(REPO), "--env-file", _no_env(), *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _no_env() -> str:
    """An empty env file: a developer's own .env must not change what is tested."""
    path = Path(tempfile.gettempdir()) / "trials-tests-empty.env"
    path.write_text("")
    return str(path)


def rendered(**env: str) -> dict[str, Any]:
    done = compose("config", **env)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)  # type: ignore[no-any-return]


def ports(service: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(host address, published, target) for each port, in short or long syntax."""
    found = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.append((port.get("host_ip", ""), str(port["published"]), str(port["target"])))
        else:
            *host, published, target = str(port).removesuffix("/tcp").split(":")
            found.append((host[0] if host else "", published, target))
    return found


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return rendered()["services"]  # type: ignore[no-any-return]


def test_compose_config_is_valid() -> None:
    done = compose("config", "-q")
    assert done.returncode == 0, done.stderr


def test_compose_rejects_a_broken_file(tmp_path: Any) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  api:\n    depends_on: {es-init: {condition: sometimes}}\n")
    done = subprocess.run(
        [*compose_command(), "-f", str(broken), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0


def test_the_full_stack_starts_in_order(stack: dict[str, Any]) -> None:
    always = {name for name, service in stack.items() if not service.get("profiles")}
    assert always == {"elasticsearch", "kibana", *APP_SERVICES}
    # compose v2 adds `required`/`restart` keys when rendering; the conditions are what matter
    needs = {
        name: {dep: how["condition"] for dep, how in svc.get("depends_on", {}).items()}
        for name, svc in stack.items()
    }
    assert needs["es-init"] == {"elasticsearch": "service_healthy", "kibana": "service_healthy"}
    for name in ("api", "scheduler"):
        assert needs[name] == {"es-init": "service_completed_successfully"}
    assert stack["es-init"]["restart"] == "no"
    assert "trials es init && trials kibana import" in " ".join(stack["es-init"]["command"])
    assert stack["api"]["command"] == ["serve", "--host", "0.0.0.0"]
    assert stack["scheduler"]["command"] == ["schedule"]
    for name in ("elasticsearch", "kibana", "api"):
        assert stack[name]["healthcheck"]["test"]


def test_only_the_api_listens_on_all_interfaces(stack: dict[str, Any]) -> None:
    assert ports(stack["api"]) == [("", "8080", "8080")]
    assert ports(stack["elasticsearch"]) == [("127.0.0.1", "9200", "9200")]
    assert ports(stack["kibana"]) == [("127.0.0.1", "5601", "5601")]
    assert not any(ports(stack[name]) for name in ("es-init", "scheduler"))


def test_ports_and_versions_come_from_the_environment() -> None:
    services = rendered(TRIALS_API_PORT="9999", KIBANA_PORT="15601", ES_HEAP="2g")["services"]
    assert ports(services["api"]) == [("", "9999", "8080")]
    assert ports(services["kibana"]) == [("127.0.0.1", "15601", "5601")]
    assert services["elasticsearch"]["environment"]["ES_JAVA_OPTS"] == "-Xms2g -Xmx2g"


def test_elasticsearch_and_kibana_are_the_pinned_version(stack: dict[str, Any]) -> None:
    es = stack["elasticsearch"]
    assert es["build"]["args"]["ES_VERSION"] == ES_VERSION
    assert stack["kibana"]["image"] == f"docker.elastic.co/kibana/kibana:{ES_VERSION}"
    env = es["environment"]
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "false"
    assert env["cluster.routing.allocation.disk.threshold_enabled"] == "false"
    assert env["ES_JAVA_OPTS"] == "-Xms1g -Xmx1g"
    assert any(str(v).endswith(":/usr/share/elasticsearch/data") for v in _volumes(es))
    dockerfile = (REPO / "docker" / "elasticsearch" / "Dockerfile").read_text()
    assert f"ARG ES_VERSION={ES_VERSION}" in dockerfile
    assert "elasticsearch-plugin install --batch analysis-nori" in dockerfile


def _volumes(service: dict[str, Any]) -> list[str]:
    return [
        f"{v['source']}:{v['target']}" if isinstance(v, dict) else v.removesuffix(":rw")
        for v in service["volumes"]
    ]


def test_app_containers_get_valid_settings_for_the_compose_network(stack: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        env = {k: "" if v is None else str(v) for k, v in stack[name]["environment"].items()}
        settings = Settings.from_env(env)
        assert settings.es_hosts == ("http://elasticsearch:9200",)
        assert settings.kibana_url == "http://kibana:5601"
        assert (settings.api_host, settings.api_port) == ("0.0.0.0", 8080)
        assert settings.schedule == Settings().schedule  # empty means the application default


def test_every_setting_reaches_the_app_containers(stack: dict[str, Any]) -> None:
    passed = set(stack["api"]["environment"])
    known = {f.metadata["env"] for f in fields(Settings)}
    assert passed <= known, f"not settings: {sorted(passed - known)}"
    assert known - passed == LOCAL_NODE_ONLY
    assert passed >= FIXED_IN_COMPOSE


def test_compose_defaults_of_settings_are_empty_or_the_settings_default() -> None:
    text = (REPO / "docker-compose.yml").read_text()
    defaults = {f.metadata["env"]: f.default for f in fields(Settings)}
    for name, default in re.findall(r"\$\{(TRIALS_[A-Z0-9_]+):?-([^}]*)\}", text):
        if name == "TRIALS_ES_URL":
            assert default == "http://elasticsearch:9200"
        else:
            assert default in ("", str(defaults[name])), name


def test_an_empty_ctgov_query_reaches_the_apps_as_every_study_and_an_unset_one_as_korea() -> None:
    def query(**env: str) -> str:
        services = rendered(**env)["services"]
        values = {str(services[name]["environment"]["TRIALS_CTGOV_QUERY"]) for name in APP_SERVICES}
        (value,) = values
        return str(Settings.from_env({"TRIALS_CTGOV_QUERY": value}).ctgov_query)

    assert query() == Settings().ctgov_query == "query.locn=South Korea"
    assert query(TRIALS_CTGOV_QUERY="") == ""
    assert query(TRIALS_CTGOV_QUERY="query.cond=asthma") == "query.cond=asthma"


def test_app_dockerfile_is_small_non_root_and_caches_dependencies() -> None:
    lines = [
        line.strip()
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    steps = [line.split()[0] for line in lines]
    copies = [line for line in lines if line.startswith("COPY")]
    # The dependency layer is keyed on the lock alone and installs exactly its hashed files.
    assert copies[0] == "COPY requirements.lock ./"
    install_deps = next(i for i, line in enumerate(lines) if "-r requirements.lock" in line)
    assert "pip install --require-hashes --no-deps" in lines[install_deps]
    assert lines.index(copies[0]) < install_deps < lines.index(copies[1])
    user = next(line for line in lines if line.startswith("USER"))
    assert user.split()[1] not in ("root", "0")
    assert steps.index("USER") > max(i for i, s in enumerate(steps) if s == "RUN")
    assert lines[-2:] == ['ENTRYPOINT ["trials"]', 'CMD ["--help"]']
    for copy in copies:
        source = copy.split()[1]
        assert (REPO / source).exists(), source


def test_dockerignore_lets_in_only_what_the_image_copies() -> None:
    rules = [
        line
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert rules[0] == "*"
    allowed = {rule.lstrip("!").rstrip("/") for rule in rules if rule.startswith("!")}
    copied = {
        line.split()[1].rstrip("/").removeprefix("./")
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY")
    }
    assert copied == allowed


def test_every_command_compose_runs_is_a_trials_command(stack: dict[str, Any]) -> None:
    parser = build_parser()
    commands = [stack[name]["command"] for name in ("api", "scheduler")]
    commands += [part.split()[1:] for part in stack["es-init"]["command"][0].split("&&")]
    assert commands[2:] == [["es", "init"], ["kibana", "import"]]
    for argv in commands:
        assert callable(parser.parse_args(argv).handler), argv


CLUSTER_NODES = ("elasticsearch", "es02", "es03")


def test_the_cluster_profile_is_valid() -> None:
    done = compose("--profile", "cluster", "config", "-q", ES_DISCOVERY_TYPE="multi-node")
    assert done.returncode == 0, done.stderr


def test_the_cluster_profile_adds_two_nodes_that_form_one_cluster_with_the_stacks_node() -> None:
    services = rendered(ES_DISCOVERY_TYPE="multi-node")["services"]
    nodes = {name: services[name] for name in CLUSTER_NODES}
    env = {name: node["environment"] for name, node in nodes.items()}
    assert {name: node.get("profiles") for name, node in nodes.items()} == {
        "elasticsearch": None,  # always there: the stack's node is es01 of the cluster
        "es02": ["cluster"],
        "es03": ["cluster"],
    }
    assert [env[name]["node.name"] for name in CLUSTER_NODES] == ["es01", "es02", "es03"]
    assert env["elasticsearch"]["discovery.type"] == "multi-node"
    assert env["elasticsearch"]["discovery.seed_hosts"] == "es02,es03"
    # single-node discovery refuses initial_master_nodes: only the profile's nodes bootstrap,
    # and they look for es01 alone, so they never form a cluster without it
    assert "cluster.initial_master_nodes" not in env["elasticsearch"]
    for name in ("es02", "es03"):
        assert env[name]["cluster.initial_master_nodes"] == "es01,es02,es03"
        assert env[name]["discovery.seed_hosts"] == "elasticsearch"
        assert env[name]["ES_JAVA_OPTS"] == "-Xms512m -Xmx512m"
        assert not ports(nodes[name])  # reached inside the compose network only
        assert nodes[name]["image"] == nodes["elasticsearch"]["image"]
        assert "wait_for_nodes=3" in " ".join(nodes[name]["healthcheck"]["test"])
    same = ("xpack.security.enabled", "cluster.routing.allocation.disk.threshold_enabled")
    assert len({tuple(env[name][key] for key in same) for name in CLUSTER_NODES}) == 1
    data = [v for name in CLUSTER_NODES for v in _volumes(nodes[name]) if v.endswith("/data")]
    assert len(set(data)) == 3  # each node its own data
    for name in CLUSTER_NODES:
        repo = env[name]["path.repo"]
        assert f"es-snapshots:{repo}" in _volumes(nodes[name])  # one shared snapshot folder


def test_without_the_variable_the_stacks_node_stays_single_and_the_heap_is_settable() -> None:
    services = rendered(ES_CLUSTER_HEAP="768m")["services"]
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"
    assert services["es02"]["environment"]["ES_JAVA_OPTS"] == "-Xms768m -Xmx768m"


def test_the_node_image_has_a_writable_snapshot_folder_and_runs_as_the_node_user() -> None:
    lines = (REPO / "docker" / "elasticsearch" / "Dockerfile").read_text().splitlines()
    text = "\n".join(lines)
    assert "mkdir -p /usr/share/elasticsearch/snapshots" in text
    assert "chown 1000:0 /usr/share/elasticsearch/snapshots" in text
    assert [line for line in lines if line.startswith("USER")][-1] == "USER 1000:0"
