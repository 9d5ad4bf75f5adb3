# One command each: `make demo` rehearses an event on the local emulator, `make test` runs every suite.
# Both install what they need first (a .venv from the package registry, and the collection link).

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTION := collections/ansible_collections/hackathon/studio
EMULATOR_PORT ?= 4577
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
# The demo vault's password (emulator inventory only), found from any directory (ansible.cfg: the checkout's root).
export ANSIBLE_VAULT_IDENTITY_LIST := demo@$(CURDIR)/inventories/emulator/vault-password.txt

.PHONY: browser install test lint sanity molecule unit integration demo emulator emulator-stop bench clean

install: $(STAMP) $(COLLECTION)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The checkout itself is the collection hackathon.studio: link it where ansible.cfg looks.
$(COLLECTION):
	mkdir -p $(dir $(COLLECTION))
	ln -sfn ../../.. $(COLLECTION)

# The three checks before pytest are independent and mostly single-threaded: side by side, each one's output
# kept together.
test: install browser
	$(MAKE) --no-print-directory -j3 --output-sync=target lint sanity molecule
	$(BIN)/python -m pytest -n 2 --dist worksteal --durations=25 tests

lint: install
	$(BIN)/ruff format --check src tests benchmarks plugins
	$(BIN)/ruff check src tests benchmarks plugins
	$(BIN)/ansible-lint

# The portal's browser test drives Debian's chromium through Playwright (no browser download): as root,
# install it when missing; otherwise that one test skips, saying the binary is absent.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } \
		|| echo "chromium is not installed: run apt-get install chromium as root for the portal's browser test"

# ansible-test sanity on the collection's plugins (no ignore entries).
sanity: install
	tests/sanity/run.sh

# The event's lifecycle as a molecule scenario (extensions/molecule/default) on its own emulator.
molecule: install
	$(BIN)/molecule test

unit: install
	$(BIN)/python -m pytest tests/unit

integration: install
	$(BIN)/python -m pytest -n 2 tests/integration

# A whole event (configure, setup with apps, URLs, status, purge) on a throw-away local emulator.
demo: install
	$(BIN)/studio rehearse examples/users.csv

# Start the emulator in the background for manual use; `make emulator-stop` ends it.
emulator: install
	@$(BIN)/studio-emulator --port $(EMULATOR_PORT) > .emulator.log 2>&1 & echo $$! > .emulator.pid
	@sleep 1 && head -1 .emulator.log

emulator-stop:
	@kill $$(cat .emulator.pid) 2>/dev/null && rm -f .emulator.pid || echo "no emulator running"

# Benchmarks run by hand, not in `make test`: the emulator's own rate, then a 1,000-person event.
bench: install
	$(BIN)/python benchmarks/emulator_rate.py
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) collections build .pytest_cache
