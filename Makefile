# The two commands a newcomer types (see README.md):
#   make run    install missing Debian packages, build, create a demo database, serve
#   make check  build and run every test (CTest)
# and for engineers:
#   make build  build only          make asan   tests under AddressSanitizer + UBSan
#   make fuzz   run each fuzzer for FUZZ_SECONDS (default 60)
#   make screenshots  the browser tests' current screenshots into docs/screenshots/

BUILD     ?= build
JOBS      ?= $(shell nproc)
CMAKE_ARGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all build run check asan fuzz deps clean screenshots

all: build

deps:
	@scripts/install-deps.sh

build:
	@cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: deps
	@$(MAKE) --no-print-directory build
	@scripts/run-demo.sh $(BUILD)/hamyar

check: deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B build-asan -DHAMYAR_SANITIZE=ON -DHAMYAR_WERROR=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

fuzz:
	CC=clang cmake -S . -B build-fuzz -DHAMYAR_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j $(JOBS)
	@scripts/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

# The browser tests save every screen to test-output/screenshots/; the README shows
# the copies in docs/screenshots/, refreshed here (after a `make check`) on purpose
# rather than by every test run.
screenshots:
	@test -d test-output/screenshots || { echo "make screenshots: run make check first" >&2; exit 1; }
	mkdir -p docs/screenshots
	cp test-output/screenshots/*.png docs/screenshots/

clean:
	rm -rf $(BUILD) build-asan build-fuzz
