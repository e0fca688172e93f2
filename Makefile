# pubdata — the two commands of the README are `make demo` and `make test`.
# Everything they need (front-end assets from npm, the browser for the
# end-to-end test) is fetched by them.

GO      ?= go
ADDR    ?= 127.0.0.1:8080
DATA    ?= ./data/demo
PKGS    ?= ./...

.PHONY: all build demo serve test test-short bench kill9 assets deps fmt vet clean

all: build

assets:
	@bash scripts/assets.sh

build: assets
	$(GO) build -o bin/pubdata ./cmd/pubdata

# Run the product on its embedded defaults (SQLite + local files) with a
# seeded demo province, serving http://127.0.0.1:8080.
demo: build
	./bin/pubdata demo --addr $(ADDR) --data $(DATA)

serve: build
	./bin/pubdata serve --addr $(ADDR) --data ./data/node

# Run every test. With PUBDATA_TEST_POSTGRES set, the storage suites also
# run on PostgreSQL; the browser test runs when chromium is installed
# (scripts/deps.sh installs it where it can) and is required when
# PUBDATA_REQUIRE_BROWSER=1.
test: assets
	@bash scripts/deps.sh
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short $(PKGS)

# Benchmarks: results go to docs/benchmarks.md by hand, with the machine
# and date; see scripts/bench.sh.
bench: build
	@bash scripts/bench.sh

# kill -9 the server during a 10,000,000-row load, restart, check that the
# previous version is served and the load reruns (scripts/kill9.sh).
kill9:
	@bash scripts/kill9.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet $(PKGS)

clean:
	rm -rf bin data
