# session-test: two commands.
#   make test   installs Chromium when it is missing, builds, runs every test of the workspace
#               (under cargo nextest when installed: `cargo install cargo-nextest --locked`)
#   make demo   runs the example suite against the demo app
CARGO ?= cargo

.PHONY: test demo lint bench micro-bench chromium

# Under cargo nextest when it is installed (each test in a process of its own; then the doc
# tests, which nextest does not run, and the load binary whole, whose checks span its tests).
test: chromium
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	  echo "make test: cargo nextest found"; \
	  $(CARGO) nextest run --workspace && \
	  $(CARGO) test --workspace --doc && \
	  $(CARGO) test --test load; \
	else \
	  $(CARGO) test --workspace; \
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

# Chromium from the system package manager when none is found ($CHROME, then PATH).
chromium:
	@if [ -n "$$CHROME" ] && [ -x "$$CHROME" ]; then exit 0; fi; \
	for b in chromium chromium-browser google-chrome; do \
	  if command -v $$b >/dev/null 2>&1; then exit 0; fi; \
	done; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "Chromium not found: installing it with apt-get"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium; \
	else \
	  echo "Chromium not found. Install Chromium or Google Chrome (Fedora: dnf install chromium;"; \
	  echo "Arch: pacman -S chromium; macOS: brew install --cask chromium), or set CHROME=/path/to/it."; \
	  exit 1; \
	fi
