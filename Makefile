# GridCert developer commands. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test lint typecheck pytest bench screenshots dist sysdeps venv clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	bash scripts/install-system-deps.sh

run: sysdeps venv
	$(BIN)/gridcert-wizard

lint: venv
	$(BIN)/ruff check app tests benchmarks installer scripts

# Windows and macOS code is checked against those OSes' standard library here, where it
# cannot run (os.chown, fcntl, msvcrt, ctypes.windll...); each platform keeps its own cache.
typecheck: venv
	$(BIN)/mypy
	$(BIN)/mypy --platform win32 --cache-dir .mypy_cache/win32
	$(BIN)/mypy --platform darwin --cache-dir .mypy_cache/darwin

pytest: sysdeps venv
	bash scripts/with-keyring.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

test: sysdeps venv lint typecheck pytest

bench: sysdeps venv
	$(BIN)/python -m benchmarks

screenshots: sysdeps venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots_signin.py docs/screenshots

dist: sysdeps venv
	bash installer/build.sh

clean:
	rm -rf build dist .mypy_cache .pytest_cache .ruff_cache
