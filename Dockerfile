# The application image: `trials` (API, scheduler, indexer, admin commands) on Python 3.11.
# Dependencies sit in their own layer, keyed on pyproject.toml only, so a source change rebuilds
# in seconds. Runs as an unprivileged user; the Elasticsearch image is docker/elasticsearch/.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin trials
WORKDIR /app

# 1. Dependencies only (the runtime list from pyproject.toml; no test or dev tools).
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# 2. The code, installed as a regular (non-editable) package: the Kibana objects and the
#    mappings are package data, so nothing is read from beside the package.
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
