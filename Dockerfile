# For people who deploy with containers (this project's own machines cannot run Docker).
# Built with the same scripts as `make run`: .ci/setup installs, .ci/serve starts.
# The database is a PostGIS given by DATABASE_URL; compose.yaml runs one beside it.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY .ci .ci
COPY app app
COPY geo geo
COPY seed seed
RUN VENV=/venv .ci/setup --app-only

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 finder
COPY --from=build /venv /venv
WORKDIR /srv
COPY --from=build /src /srv
COPY migrations migrations
USER finder
ENV VENV=/venv HOST=0.0.0.0 PORT=8000 PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=120s \
    CMD ["/venv/bin/python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"]
CMD [".ci/serve"]
