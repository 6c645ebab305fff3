# TravelSense developer entry points. `make test` is the README's test command and what .ci/run calls.
SWIFT ?= swift
# Added to every swift build/test/run, e.g. SWIFT_FLAGS="--scratch-path .build-ci" or "-c release".
SWIFT_FLAGS ?=
# -q prints only failures and the summary; `make test TEST_FLAGS=` shows every test.
# No --parallel: it only affects XCTest, and Swift Testing already runs tests concurrently in-process.
TEST_FLAGS ?= -q
PORT ?= 8080
DATA_DIR ?= .dev-data
FUZZ_SECONDS ?= 60

.PHONY: all deps build dev test lint format bench fuzz release clean

all: build

deps:
	@bash scripts/install-deps

build:
	$(SWIFT) build $(SWIFT_FLAGS)

dev: deps build
	$(SWIFT) run --skip-build $(SWIFT_FLAGS) travelsense dev --port $(PORT) --data-dir $(DATA_DIR)

# scripts/test-tools/install: the pinned servers the tests start for real (SeaweedFS for the S3 tests).
test: deps
	@bash scripts/test-tools/install >/dev/null
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(TEST_FLAGS) $(SWIFT_FLAGS)

# Swift formatting, then the deployment files (Dockerfile, compose, workflow, k8s, nginx) with pinned
# offline linters; `deps` first, since `nginx -t` needs nginx.
lint: deps
	$(SWIFT) format lint --strict --recursive Sources Tests bench Package.swift
	bash scripts/lint/deploy

format:
	$(SWIFT) format --in-place --recursive Sources Tests bench Package.swift

bench:
	bash bench/http.sh

fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

release:
	$(SWIFT) build -c release $(SWIFT_FLAGS)

clean:
	$(SWIFT) package clean $(SWIFT_FLAGS)
	rm -rf .build
