# SCS Diffusion Tracker. `make help` lists the targets.
SHELL := /bin/bash
export GOFLAGS ?= -buildvcs=false
PGDIR  := $(CURDIR)/.pgdata
TRACKER_PGPORT ?= 54329
LOCAL_DATABASE_URL := postgres://postgres@127.0.0.1:$(TRACKER_PGPORT)/tracker?sslmode=disable

.PHONY: help run build frontend test bench fuzz lint db-start db-stop db-reset clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: build ## set everything up (PostGIS, local cluster, data) and serve on :8080 (PORT/ADDR to change)
	@if [ -z "$$DATABASE_URL" ]; then \
		scripts/localpg.sh start "$(PGDIR)" "$(TRACKER_PGPORT)" || { \
			echo "make run: the project's PostgreSQL cluster did not start on 127.0.0.1:$(TRACKER_PGPORT) (see above)." >&2; \
			echo "make run: set TRACKER_PGPORT to a free port, or DATABASE_URL to a database of your own." >&2; exit 1; }; \
	fi; \
	export DATABASE_URL="$${DATABASE_URL:-$(LOCAL_DATABASE_URL)}"; \
	bin/tracker ingest && exec bin/tracker serve --skip-migrate

build: frontend ## build the web app and the tracker binary into bin/
	go build -o bin/tracker ./cmd/tracker

frontend: ## install npm packages if needed and build frontend/dist
	scripts/frontend.sh build

test: ## run every check and test (installs PostGIS and Chromium if missing)
	scripts/test.sh

bench: build ## benchmarks: Go micro-benchmarks and wrk load against a running local server
	scripts/bench.sh

fuzz: ## run every fuzz target for FUZZTIME each (default 60s)
	scripts/fuzz.sh $(or $(FUZZTIME),60s)

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...

db-start: ## start the project-managed PostgreSQL cluster (.pgdata, port 54329)
	scripts/deps.sh run
	scripts/localpg.sh start "$(PGDIR)" "$(TRACKER_PGPORT)"

db-stop: ## stop the local cluster
	scripts/localpg.sh stop "$(PGDIR)" "$(TRACKER_PGPORT)"

db-reset: ## stop the local cluster and delete its data
	scripts/localpg.sh reset "$(PGDIR)" "$(TRACKER_PGPORT)"

clean: ## remove build outputs
	rm -rf bin artifacts frontend/dist/assets frontend/dist/index.html
