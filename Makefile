# Détente: the two commands are `make run` and `make test`.
.POSIX:
.PHONY: all deps build build-asan run test test-unit test-api test-e2e test-fuzz \
	test-data format format-check bench fuzz clean

DB ?= detente.db
LISTEN ?= 127.0.0.1:8080
DETENTE = build/detente

all: build

deps:
	@scripts/install-deps.sh

build/build.ninja:
	meson setup build --buildtype=debugoptimized

build-asan/build.ninja:
	meson setup build-asan --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false

build: deps build/build.ninja
	ninja -C build

build-asan: deps build-asan/build.ninja
	ninja -C build-asan

# Creates the database with the historical record on first use, then serves.
run: build
	@[ -f "$(DB)" ] || $(DETENTE) init --demo --db "$(DB)"
	$(DETENTE) serve --db "$(DB)" --listen "$(LISTEN)"

test: build build-asan format-check test-data test-unit test-api test-e2e \
	test-fuzz

test-data:
	node scripts/gen-record.mjs --check

# cmocka unit tests, plain and under AddressSanitizer + UBSan.
test-unit:
	meson test -C build --print-errorlogs
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs

# API tests against the plain and the sanitizer builds of the server.
test-api:
	DETENTE_BIN=$(CURDIR)/build/detente node --test tests/api/
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
	DETENTE_BIN=$(CURDIR)/build-asan/detente node --test tests/api/

test-e2e:
	DETENTE_BIN=$(CURDIR)/build/detente node --test tests/e2e/

SOURCES = src/*/*.c src/*/*.h tests/unit/*.c tests/unit/probe/*.c tests/fuzz/*.c tests/fuzz/*.h bench/*.c

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run --Werror $(SOURCES)

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh

# Every parser's libFuzzer harness, briefly (make fuzz for longer runs).
test-fuzz: deps
	scripts/fuzz-smoke.sh 5

fuzz: deps
	scripts/fuzz-smoke.sh 60

clean:
	rm -rf build build-asan build-fuzz
