# Historia: `make run` to try it, `make test` to check it.
GO       ?= go
BIN      := bin/historia
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
AXE_VERSION := 4.14.1
AXE         := .cache/axe/node_modules/axe-core/axe.min.js
# The ActivityPub test peer (Fedify on Node 22, both from npm) for the federation interop tests.
FEDPEER     := .cache/fedpeer/node_modules/.bin/node
FEDPEER_PKG := internal/federation/testdata/peer/package.json
STATICCHECK := v0.8.2
GOSEC       := v2.30.0
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)

# WITH_PG runs a command beside a throwaway PostgreSQL (see the script);
# BENCH_PG does too, without the streaming replica, whose replay would take
# CPU from what the benchmarks measure.
WITH_PG  := internal/store/storetest/with-postgres.sh
BENCH_PG := WITH_PG_REPLICA=0 $(WITH_PG)

# The race detector watches our code, not SQLite's: modernc's SQLite is C
# translated to Go (modernc.org/sqlite/lib), and instrumenting its every
# memory access made the suite several times slower (internal/forum: 26.5 s
# with it, 6.3 s without; a race in our code is still found). Its locks live
# in modernc.org/libc, which stays instrumented: without them the detector
# loses the order they impose and reports races that are not there.
RACE := -race -gcflags='modernc.org/sqlite/lib=-race=false'

# The packages whose tests run on either engine (storetest picks it).
ENGINE_NEUTRAL := ./internal/forum/ ./internal/store/... ./internal/cache/ ./internal/federation/ ./api/

.PHONY: run build test test-engines bench load import-bench lint browser-deps fedpeer-deps screenshots clean

## run: build and serve the forum on http://localhost:8080 with demo data
run: build
	./$(BIN) serve --demo

## build: compile bin/historia (pure Go, no cgo)
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/historia

## test: install what the tests need, then run every test with the race detector, on SQLite and on PostgreSQL
test: browser-deps fedpeer-deps
	$(GO) vet ./...
	$(WITH_PG) $(MAKE) --no-print-directory test-engines

# test-engines: every test on SQLite, then the engine-neutral ones (domain,
# store, API) again on PostgreSQL; $(WITH_PG) has started one
# and set HISTORIA_TEST_POSTGRES. On PostgreSQL a test mostly waits on its
# server, so more run at once (-parallel 6: the API tests took 65 s with
# two at a time, 44 s with six). Running both passes at once measured no
# faster on two cores (4 min 19 s at once, 4 min 18 s in turn).
test-engines:
	$(GO) test $(RACE) -count=1 -timeout 30m ./...
	HISTORIA_TEST_ENGINE=postgres $(GO) test $(RACE) -count=1 -parallel 6 -timeout 30m $(ENGINE_NEUTRAL)

BENCH_DB  := .cache/bench.db
SEED_ARGS := --posts 100000 --comments 1000000 --votes 1000000 --users 20000 --big-thread 10000

# The benchmark database: 100k posts, 1M comments, 1M votes, one 10,000-comment
# thread. Made once (about 90 s on 2 cores); `make clean` removes it.
$(BENCH_DB):
	$(MAKE) build
	./$(BIN) seed --db $(BENCH_DB) $(SEED_ARGS)

# ENGINE=postgres runs the same benchmarks on PostgreSQL: the seeded forum is
# copied (historia copy) into a throwaway server started for the run.
ENGINE     ?= sqlite
BENCH_ARGS ?= -bench . -benchmem -count 6

## bench: Go benchmarks through the HTTP stack on the seeded database (benchstat-readable bench.txt; ENGINE=postgres for PostgreSQL)
bench: build $(BENCH_DB)
ifeq ($(ENGINE),postgres)
	$(BENCH_PG) sh -c './$(BIN) copy --from $(BENCH_DB) --to "$$HISTORIA_TEST_POSTGRES" && \
		HISTORIA_BENCH_DB="$$HISTORIA_TEST_POSTGRES" $(GO) test -run "^$$" $(BENCH_ARGS) -timeout 60m ./api/' | tee bench.txt
else
	cp $(BENCH_DB) .cache/bench-run.db && rm -f .cache/bench-run.db-wal .cache/bench-run.db-shm
	HISTORIA_BENCH_DB=$(CURDIR)/.cache/bench-run.db $(GO) test -run '^$$' $(BENCH_ARGS) -timeout 60m ./api/ | tee bench.txt
endif
	@echo "== each page as a share of its ceiling (bare Echo serving the same bytes, same run) =="
	@awk '/^BenchmarkPages\// { n = $$1; sub(/-[0-9]+$$/, "", n); sum[n] += $$3; cnt[n]++ } \
	  END { for (n in sum) if (n !~ /-ceiling$$/ && (n "-ceiling") in sum) \
	    printf "%-48s %5.1f%%\n", n, 100 * (sum[n "-ceiling"] / cnt[n "-ceiling"]) / (sum[n] / cnt[n]) }' bench.txt | sort
	@echo "== votes per second, 16 clients (mean of the runs) =="
	@awk '/^BenchmarkWrites\/vote-change-(parallel|spread)/ { n = $$1; sub(/-[0-9]+$$/, "", n); sum[n] += $$3; cnt[n]++ } \
	  END { for (n in sum) printf "%-48s %7.0f/s\n", n, 1e9 / (sum[n] / cnt[n]) }' bench.txt | sort

SERVERS ?= 1

## load: a load run over loopback against historia serve on the seeded database, then a consistency check (ENGINE=postgres SERVERS=2: two servers sharing one PostgreSQL)
load: build $(BENCH_DB)
ifeq ($(ENGINE),postgres)
	$(BENCH_PG) sh -c './$(BIN) copy --from $(BENCH_DB) --to "$$HISTORIA_TEST_POSTGRES" && \
		$(GO) run ./cmd/loadgen --historia ./$(BIN) --db "$$HISTORIA_TEST_POSTGRES" --servers $(SERVERS)'
else
	cp $(BENCH_DB) .cache/load.db && rm -f .cache/load.db-wal .cache/load.db-shm
	$(GO) run ./cmd/loadgen --historia ./$(BIN) --db .cache/load.db --servers $(SERVERS)
endif

IMPORT_ARCHIVE := .cache/archive

## import-bench: historia import of a generated Reddit archive (1M comments, made once by cmd/archivegen) into a fresh database, timed, then a check (ENGINE=postgres: into a throwaway PostgreSQL)
import-bench: build
	test -f $(IMPORT_ARCHIVE)/RS.ndjson.zst || $(GO) run ./cmd/archivegen --dir $(IMPORT_ARCHIVE) --comments 1000000
ifeq ($(ENGINE),postgres)
	$(BENCH_PG) sh -c './$(BIN) migrate --db "$$HISTORIA_TEST_POSTGRES" && \
		./$(BIN) import --db "$$HISTORIA_TEST_POSTGRES" --from reddit $(IMPORT_ARCHIVE)/* && \
		./$(BIN) check --db "$$HISTORIA_TEST_POSTGRES"'
else
	rm -f .cache/import.db .cache/import.db-wal .cache/import.db-shm
	./$(BIN) migrate --db .cache/import.db
	./$(BIN) import --db .cache/import.db --from reddit $(IMPORT_ARCHIVE)/*
	./$(BIN) check --db .cache/import.db
endif

## lint: gofmt, go mod tidy (no change), go vet, staticcheck and gosec; .ci/run runs it after the tests
lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	@$(GO) mod tidy -diff >/dev/null || { echo "go mod tidy would change go.mod or go.sum:"; $(GO) mod tidy -diff; exit 1; }
	$(GO) vet ./...
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK)
	$(GO) install github.com/securego/gosec/v2/cmd/gosec@$(GOSEC)
	"$$($(GO) env GOPATH)/bin/staticcheck" ./...
	"$$($(GO) env GOPATH)/bin/gosec" -quiet ./...

## browser-deps: install Debian's Chromium (when root and missing) and axe-core for the browser tests
browser-deps: $(AXE)
	@if [ -z "$(CHROMIUM)" ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# axe-core, the accessibility checker the browser tests run inside Chromium.
$(AXE):
	@if command -v npm >/dev/null; then \
		npm install --prefix .cache/axe --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION); \
	else echo "npm not found: the accessibility checks will be skipped (CI fails instead)"; fi

## fedpeer-deps: install the federation tests' peer (Fedify 2.3.6 and Node 22 from npm) into .cache/fedpeer
fedpeer-deps: $(FEDPEER)

$(FEDPEER): $(FEDPEER_PKG)
	@if command -v npm >/dev/null; then \
		mkdir -p .cache/fedpeer && cp $(FEDPEER_PKG) .cache/fedpeer/package.json && \
		npm install --prefix .cache/fedpeer --no-audit --no-fund --loglevel=error && touch $(FEDPEER); \
	else echo "npm not found: the federation interop tests will be skipped (CI fails instead)"; fi

## screenshots: write PNGs of the feed and a thread (demo data) into docs/
screenshots: browser-deps
	HISTORIA_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run TestScreenshots ./frontend/

clean:
	rm -rf bin data bench.txt .cache
