# The commands the README and .ci/run use. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
# apt-get as root, or through sudo for a user who has it (a forge's CI runner, a laptop).
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help run test deps compose-cli chromium java-maven lint typecheck node pytest cluster-test es-start es-stop bench-indexer bench-service bench-crosslingual bench-scale clean soak reliability audit lock

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: deps java-maven ## Set up, start the local node, index (demo data without a key) and serve the API
	$(BIN)/trials es start
	$(BIN)/trials es init
	$(BIN)/trials index
	$(BIN)/trials serve

test: deps compose-cli chromium lint typecheck node pytest ## Set up everything and run every check and test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --quiet --upgrade pip
	$(BIN)/pip install --quiet --quiet -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP) ## Create .venv and install the package with its test tools

compose-cli: ## The docker compose CLI, for validating docker-compose.yml (no engine needed)
	@docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || \
		{ $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; }

chromium: ## Debian's headless chromium, for the Swagger UI test (installed when missing)
	@command -v chromium >/dev/null || \
		{ $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

java-maven: deps ## Maven and a JDK >= 21 for the node: OS packages when missing, else says how
	$(BIN)/python -m localnode.toolchain

lint: deps ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: deps ## mypy --strict over the packages
	$(BIN)/mypy

node: deps java-maven ## Fetch Elasticsearch, build (with its Java tests) and install the Korean plugin
	$(BIN)/trials es install

pytest: deps ## The Python tests, against a real node (started here when none is running)
	$(BIN)/pytest --ignore=tests/cluster

cluster-test: deps java-maven ## Three-node cluster tests (node killed mid-sync, under API load, master) -> bench/SCALE.md (not CI)
	$(BIN)/python -m bench.cluster

bench-indexer: deps ## Sync vs raw _bulk, unchanged resync, peak memory at 100k vs 10k records
	$(BIN)/python -m bench.indexer --records 100000

bench-service: deps ## API vs direct-to-node throughput/latency, and deep cursor pages
	$(BIN)/python -m bench.service

bench-crosslingual: deps ## Search with concept expansion vs without, /suggest latency at concurrency 32
	$(BIN)/python -m bench.service.crosslingual

bench-scale: deps java-maven ## 50k and 500k generated CT.gov studies on a private node and 3-node cluster -> bench/SCALE.md (not CI; hours)
	$(BIN)/python -m bench.scale --sizes 50000,500000 --nodes 1,3

soak: deps ## 10 minutes of API traffic while syncs run each minute over changing data (not CI)
	$(BIN)/python -m bench.soak

reliability: deps ## Run the fault + hostile suites and regenerate bench/RELIABILITY.md
	$(BIN)/python -m bench.reliability

audit: deps ## Known vulnerabilities in .venv and in requirements.lock (pip-audit; needs PyPI's JSON API)
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off
	$(BIN)/pip-audit --strict --disable-pip --requirement $(LOCK) --progress-spinner off

lock: deps ## Re-pin requirements.lock (runtime dependencies, hashed; the image installs it) from pyproject.toml
	@test -x $(BIN)/uv || $(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --quiet --output-file $(LOCK)

es-start: deps ## Start the local node
	$(BIN)/trials es start

es-stop: deps ## Stop the local node
	$(BIN)/trials es stop

clean: ## Remove the virtualenv and build output (not the node or its data)
	rm -rf $(VENV) korean-analysis/target .mypy_cache .ruff_cache .pytest_cache
