# Two commands, each works on a fresh Debian machine:
#   make app    - install what is missing, then start the app on http://localhost:8501
#   make test   - install what is missing (Chromium included), then run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: app test lint bench

$(VENV)/installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Playwright cannot download its own browser here: the browser tests drive Debian's Chromium.
$(CHROMIUM_PATH):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
		echo "Chromium is missing: run 'sudo apt-get install chromium' or set CHROMIUM_PATH=/path/to/chromium"; exit 1; \
	fi

app: $(VENV)/installed
	$(PY) -m streamlit run app.py

test: $(VENV)/installed $(CHROMIUM_PATH)
	CHROMIUM_PATH=$(CHROMIUM_PATH) $(PY) -m pytest

lint: $(VENV)/installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: $(VENV)/installed
	for script in bench/bench_*.py; do $(PY) $$script; done
