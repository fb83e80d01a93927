# One image for every fedtasks process: the router (the default command) and the users and
# tasks subgraphs (`docker run IMAGE subgraph users --host 0.0.0.0 --port 4001`).
#
# Three stages: Node installs GraphiQL's assets from the committed lock file, a builder
# with compilers installs fedtasks and its dependencies into a virtual environment, and
# the final slim image gets only that environment and the four asset files, and runs as
# a non-root user. The builder and the final stage use the same Python image, so the
# environment's interpreter links stay valid.

FROM node:20-bookworm-slim AS graphiql
WORKDIR /src
COPY tools/graphiql/package.json tools/graphiql/package-lock.json tools/graphiql/
RUN npm ci --prefix tools/graphiql --no-audit --no-fund --loglevel=error
# Only the files the GraphiQL page loads (fedtasks_graphiql.assets.ASSET_FILES), and the
# licences that ship with them.
RUN mkdir /assets \
    && cd tools/graphiql/node_modules \
    && cp --parents \
        graphiql/graphiql.min.css \
        react/umd/react.production.min.js \
        react-dom/umd/react-dom.production.min.js \
        graphiql/graphiql.min.js \
        graphiql/LICENSE react/LICENSE react-dom/LICENSE \
        /assets/

FROM python:3.11-slim-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/fedtasks
WORKDIR /src
COPY pyproject.toml README.md ./
COPY router router
COPY subgraphs subgraphs
COPY fedtasks_graphiql fedtasks_graphiql
# A regular (not editable) install: pip builds the wheel and installs it with its
# dependencies; the sources stay behind in this stage.
RUN /opt/fedtasks/bin/pip install .

FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 fedtasks \
    && useradd --system --uid 10001 --gid fedtasks --no-create-home --home-dir /app \
        --shell /usr/sbin/nologin fedtasks
COPY --from=builder /opt/fedtasks /opt/fedtasks
COPY --from=graphiql /assets /opt/fedtasks/graphiql
COPY deploy/docker/healthcheck.py /opt/fedtasks/healthcheck.py
WORKDIR /app
# `fedtasks router` serves schema/supergraph.graphql by default (FEDTASKS_SUPERGRAPH or
# --supergraph name another); ./data is where the SQLite defaults would write.
COPY schema/supergraph.graphql schema/supergraph.graphql
RUN mkdir data && chown fedtasks:fedtasks data
ENV PATH=/opt/fedtasks/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FEDTASKS_GRAPHIQL_DIR=/opt/fedtasks/graphiql
USER 10001:10001
EXPOSE 4000 4001 4002
# FEDTASKS_HEALTH_PORT names the port when it is not a default one (see the script).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/opt/fedtasks/healthcheck.py"]
ENTRYPOINT ["fedtasks"]
CMD ["router", "--host", "0.0.0.0", "--port", "4000"]
