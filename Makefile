# Two commands matter: `make run` and `make test`. Both install what they need.

PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
UV = $(PYTHON) -m uv
VENV_PY = .venv/bin/python

.PHONY: run test bench wrk install browser lint format clean

run: install
	$(VENV_PY) -m recovery_support.devstack run

test: install browser
	$(VENV_PY) -m recovery_support.devstack test $(PYTEST_ARGS)

# Benchmarks print their figures and write them to docs/benchmarks.md.
# All of them, or some: `make bench BENCH=pages` (pages, traffic, reminders, soak);
# `BENCH_SOAK_SECONDS=60` shortens the soak while developing.
bench: install wrk
	$(VENV_PY) -m recovery_support.devstack bench $(BENCH)

install: .venv/.synced

# uv is bootstrapped into the same interpreter (pyenv shims hide a uv that
# belongs to another Python), and uv never downloads a Python of its own.
.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --python $(PYTHON)
	@touch $@

# The benchmarks load the pages with wrk, from Debian.
wrk:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing wrk for the benchmarks ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "make bench needs wrk: install it (Debian/Ubuntu: apt-get install wrk)."; exit 1; \
	fi

# Playwright drives a system Chromium where its own download is not possible.
browser:
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1 \
		|| command -v chromium-browser >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser tests ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-dejavu-core >/dev/null; \
	else \
		$(VENV_PY) -m playwright install chromium; \
	fi

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean:
	rm -rf .venv .run staticfiles test-output
