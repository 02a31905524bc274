# Eddy's everyday commands. `make test` is exactly what CI runs.

GO           ?= go
TEST_TIMEOUT ?= 25m
FUZZTIME     ?= 30s
EDDY_BIN     ?= bin/eddy
STATICCHECK_VERSION := v0.8.2
STATICCHECK  ?= $(shell $(GO) env GOPATH)/bin/staticcheck

.PHONY: run build test test-memory bench-backfill race lint tools fuzz bench rewrite

# Start the playground on its defaults (127.0.0.1:6566, data in
# ./eddy-playground-data, demo table and views); flags go in ARGS:
#   make run ARGS='--listen 127.0.0.1:7000 --log-level debug'
# The first build compiles PostgreSQL's parser through cgo and takes a few
# minutes, so it names each package as it is built (go build -v).
ARGS ?=
run:
	@echo "building $(EDDY_BIN) (the first build compiles PostgreSQL's parser with cgo: a few minutes; later builds take seconds)..."
	@$(GO) build -v -o $(EDDY_BIN) ./cmd/eddy
	@echo "starting: $(EDDY_BIN) playground $(ARGS)"
	@exec "$(abspath $(EDDY_BIN))" playground $(ARGS)

build:
	$(GO) build -o $(EDDY_BIN) ./cmd/eddy

# The whole suite: the lint, unit tests and the end-to-end suites under
# tests/ (which build ./cmd/eddy and start PostgreSQL 15 as the oracle).
test: lint
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

# The memory test at scale: views with state several times --memory-limit
# (600,000 rows under a 64 MB limit) build and take updates while the
# server's peak RSS must stay within 1.5 times the limit plus a fixed base
# (tests/memory_test.go). Some minutes; `make test` runs a quick version.
MEMORY_ROWS     ?= 600000
MEMORY_LIMIT_MB ?= 64
test-memory:
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) -run '^TestMemoryBounded$$' -v ./tests -memory-rows $(MEMORY_ROWS) -memory-limit-mb $(MEMORY_LIMIT_MB)

# TestBackfill over a bigger table than the suite's (300,000 rows); it logs
# the build's time and the single-row writer's latency idle and during it.
BACKFILL_ROWS ?= 3000000
bench-backfill:
	$(GO) test -count=1 -timeout 30m -run '^TestBackfill$$' -v ./tests -backfill-rows $(BACKFILL_ROWS)

RACE_PKGS := $(foreach d,storage mview pgwire executor session,$(if $(wildcard $(d)),./$(d)/...))
race:
	$(if $(RACE_PKGS),$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(RACE_PKGS),@echo "no packages to race-test yet")

# gofmt, go vet, staticcheck and a tidy go.mod. Nothing here is optional: a
# missing staticcheck is installed (`make tools`), never skipped.
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt -w these files:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@test -x $(STATICCHECK) || $(MAKE) --no-print-directory tools
	$(STATICCHECK) ./...
	$(GO) mod tidy -diff

# The tools the lint needs, at the versions CI uses.
tools:
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# Run every Fuzz target for $(FUZZTIME) each (go test -fuzz takes one
# target per run).
fuzz:
	@set -e; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . 2>/dev/null); do \
		dir=$$(dirname $$file); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "== $$dir $$name"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$dir; \
		done; \
	done

bench:
	$(GO) test -run '^$$' -bench . ./...

# eddy bench: each scenario (filter, agg, join, topn, load) on a server of
# its own, through pgx; BENCH_ARGS as `--rows 1000000 agg`.
BENCH_ARGS ?=
bench-scenarios:
	$(GO) run ./cmd/eddy bench $(BENCH_ARGS)

# Regenerate expected outputs: .slt results from a real PostgreSQL, then the
# datadriven golden files (parser, executor, mview, planner) with -rewrite.
rewrite:
	$(GO) test -count=1 ./tests -run TestSLT -rewrite
	$(GO) test -count=1 ./sql/parser ./sql/expr ./planner ./executor ./mview -rewrite
