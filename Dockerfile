# The application image: `trials` (API, scheduler, indexer, admin commands) on Python 3.11.
# Dependencies sit in their own layer, keyed on requirements.lock only (the runtime dependencies
# of pyproject.toml pinned with hashes by `make lock`), so a source change rebuilds in seconds and
# every build installs the same files. Runs as an unprivileged user; the Elasticsearch image is
# docker/elasticsearch/.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin trials
WORKDIR /app

# 1. Dependencies only (runtime, no test or dev tools), each file checked against its hash.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock && rm requirements.lock

# 2. The code, installed as a regular (non-editable) package: the Kibana objects and the
#    mappings are package data, so nothing is read from beside the package.
COPY pyproject.toml ./
COPY trials ./trials
COPY indexer ./indexer
COPY service ./service
COPY mappings ./mappings
COPY kibana ./kibana
COPY cli ./cli
COPY localnode ./localnode
COPY README.md ./
RUN pip install --no-deps . && rm -rf /app/*

USER trials
EXPOSE 8080
ENTRYPOINT ["trials"]
CMD ["--help"]
