# session-test: two commands.
#   make test   installs Chromium and cargo-nextest when they are missing, builds, runs every
#               test of the workspace under cargo nextest, and says how long each part took
#   make demo   runs the example suite against the demo app
CARGO ?= cargo

.PHONY: test test-load build run-tests demo lint bench micro-bench chromium nextest stress-ng

# `$(TIMED) name command…` runs the command and then prints how long it took.
TIMED = sh -c 't=$$(date +%s); "$$@"; rc=$$?; \
  echo "make test: $$0 took $$(( $$(date +%s) - t )) s"; exit $$rc'

test: chromium nextest
	@$(TIMED) "build and tests" $(MAKE) --no-print-directory build run-tests

# Every test binary and example, in the test profile (what nextest and cargo test run).
build:
	@$(TIMED) build $(CARGO) test --workspace --no-run

# The suite while stress-ng keeps every core busy besides (the build runs before, unloaded):
# the tests must hold on a loaded machine, as CI machines are.
test-load: chromium stress-ng build
	@stress-ng --cpu "$$(nproc)" --quiet & hogs=$$!; \
	  echo "make test-load: stress-ng keeps $$(nproc) cores busy"; \
	  $(MAKE) --no-print-directory run-tests; rc=$$?; \
	  kill $$hogs; wait $$hogs 2>/dev/null; exit $$rc

# The UI cases first, alone: trybuild type-checks their dependencies in a target directory
# of its own, about 60 s of CPU that beside the browser tests took 350 s of a slot and slowed
# them all. Then the rest under cargo nextest when it is installed (each test in a process of
# its own, as `.config/nextest.toml` says; one more at a time than there are cores, since
# browser tests spend part of their time waiting on the browser: 292 s instead of 318 s on 2
# cores); then the doc tests, which nextest does not run, and the load binary whole, whose
# checks span its tests.
run-tests:
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	  echo "make test: cargo nextest found"; \
	  $(TIMED) ui-tests $(CARGO) test -p session-test-ui-tests && \
	  $(TIMED) nextest $(CARGO) nextest run --workspace --test-threads "$$(( $$(nproc) + 1 ))" \
	    -E 'not package(session-test-ui-tests)' && \
	  $(TIMED) doc-tests $(CARGO) test --workspace --doc && \
	  $(TIMED) load $(CARGO) test --workspace --test load; \
	else \
	  $(TIMED) tests $(CARGO) test --workspace; \
	fi

demo: chromium
	$(CARGO) run --release --example demo

# The sessions benchmark (BENCHMARKS.md); `make bench ARGS="--reps 10"` passes options.
bench: chromium
	$(CARGO) run --release --example bench -- $(ARGS)

# The runtime's connection against headless_chrome's, call by call.
micro-bench: chromium
	$(CARGO) run --release --example micro_bench

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --workspace

# cargo-nextest, from crates.io when missing (`tests/nextest.rs` runs it, and fails without it).
nextest:
	@if $(CARGO) nextest --version >/dev/null 2>&1; then exit 0; fi; \
	echo "cargo-nextest not found: installing it with cargo install"; \
	$(TIMED) cargo-nextest $(CARGO) install cargo-nextest --locked

# stress-ng, for `make test-load`, from the system package manager when missing.
stress-ng:
	@if command -v stress-ng >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "stress-ng not found: installing it with apt-get"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y stress-ng; \
	else \
	  echo "stress-ng not found: install it (dnf, pacman or brew: stress-ng)"; exit 1; \
	fi

# Chromium from the system package manager when none is found ($CHROME, then PATH).
chromium:
	@if [ -n "$$CHROME" ] && [ -x "$$CHROME" ]; then exit 0; fi; \
	for b in chromium chromium-browser google-chrome; do \
	  if command -v $$b >/dev/null 2>&1; then exit 0; fi; \
	done; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "Chromium not found: installing it with apt-get"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $(TIMED) Chromium sh -c "$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium"; \
	else \
	  echo "Chromium not found. Install Chromium or Google Chrome (Fedora: dnf install chromium;"; \
	  echo "Arch: pacman -S chromium), or set CHROME=/path/to/it."; \
	  exit 1; \
	fi
