# For people who deploy with containers (this project's own machines cannot run Docker).
# The database is an external PostGIS given by DATABASE_URL; see README.md.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app app
COPY geo geo
COPY seed seed
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 finder
COPY --from=build /venv /venv
WORKDIR /srv
COPY alembic.ini ./
COPY migrations migrations
USER finder
ENV PATH=/venv/bin:$PATH
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["sh", "-c", "alembic upgrade head && uvicorn app.main:create_app --factory --host 0.0.0.0 --port 8000"]
