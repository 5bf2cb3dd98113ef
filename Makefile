# Two commands do all the set-up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PG_DIR ?= /var/tmp/yilao-yixiao/pg
PG_PORT ?= 54329
HOST ?= 127.0.0.1
PORT ?= 8000
LOCAL_DB := postgresql+asyncpg://postgres@127.0.0.1:$(PG_PORT)/yilao
export DATABASE_URL ?= $(LOCAL_DB)

.PHONY: run test stop db setup migrate seed bench bench-all bench-analysis bench-walking backup-drill clean-db

setup:
	@.ci/setup

db: setup
	@if [ "$(DATABASE_URL)" = "$(LOCAL_DB)" ]; then \
		.ci/pg start $(PG_DIR) $(PG_PORT) && \
		.venv/bin/python -m seed.database ensure; \
	fi

migrate: db
	.venv/bin/alembic upgrade head

seed: migrate
	.venv/bin/python -m seed load --if-empty

run: db
	HOST=$(HOST) PORT=$(PORT) .ci/serve

stop:
	@.ci/pg stop $(PG_DIR)

clean-db:
	@.ci/pg destroy $(PG_DIR)

test:
	@.ci/test

bench: setup
	.venv/bin/python -m bench.nearby

bench-all: setup
	.venv/bin/python -m bench.all

bench-analysis: setup
	.venv/bin/python -m bench.analysis

bench-walking: setup
	.venv/bin/python -m bench.walking

backup-drill: setup
	.venv/bin/python -m bench.backup_drill
