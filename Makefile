# mediactl: `make demo` and `make test` work on a fresh Debian 12 machine with Swift at /opt/swift.
#   demo   install the runtime packages, build mediactl (release), run scripts/demo.sh
#   test   install the test peers, build everything, run every test (serially), check man/ and completions/
#   docs   regenerate man/ and completions/ from the command definitions
#   bench  push a 10-minute 8 Mbit/s clip with mediactl and with ffmpeg and compare (scripts/bench-rtmp-push.sh)
#   bench-rtms  ingest capacity of rtms listen: concurrent recorded streams until it falls behind (scripts/bench-rtms-listen.sh)
#   bench-rtms-serve  concurrent audio+transcript sessions one `rtms replay --serve` sustains (scripts/bench-rtms-serve.sh)
#   bench-rtms-flv  `rtms replay --flv` against ffmpeg converting the same raw media (scripts/bench-rtms-flv.sh)
# Every recipe line runs under `bash -euo pipefail`, and make stops at the first failing step with its exit code.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(if $(wildcard /opt/swift/usr/bin/swift),/opt/swift/usr/bin:)$(PATH)

SWIFT ?= swift
# The end-to-end tests start real peers (nginx, ffmpeg) and measure timing on a 2-core machine: run tests one at
# a time. Override with SWIFT_TEST_FLAGS= (or e.g. SWIFT_TEST_FLAGS='--filter EndToEndTests').
SWIFT_TEST_FLAGS ?= --no-parallel

.PHONY: demo test docs bench bench-rtms bench-rtms-serve bench-rtms-flv build release

demo:
	bash scripts/install-deps.sh --runtime
	$(SWIFT) build -c release --product mediactl --static-swift-stdlib
	MEDIACTL=.build/release/mediactl bash scripts/demo.sh

test:
	bash scripts/install-deps.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test $(SWIFT_TEST_FLAGS)
	bash scripts/generate-docs.sh --check

docs:
	bash scripts/generate-docs.sh

bench:
	bash scripts/install-deps.sh --test
	$(SWIFT) build -c release --product mediactl --static-swift-stdlib
	MEDIACTL=.build/release/mediactl bash scripts/bench-rtmp-push.sh

bench-rtms:
	$(SWIFT) build -c release --product mediactl
	$(SWIFT) build -c release --product rtms-loadgen
	BUILD=0 bash scripts/bench-rtms-listen.sh

bench-rtms-serve:
	$(SWIFT) build -c release --product mediactl
	$(SWIFT) build -c release --product rtms-serve-load
	bash scripts/bench-rtms-serve.sh

bench-rtms-flv:
	bash scripts/install-deps.sh --test
	$(SWIFT) build -c release --product mediactl
	bash scripts/bench-rtms-flv.sh

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product mediactl --static-swift-stdlib
