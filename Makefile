# Cyberportail santé. `make run` serves the demo portal; `make test` runs the test suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export VAR_DIR ?= $(CURDIR)/var

.PHONY: run test e2e lint format bench bench-search bench-search-http messages compilemessages demo clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when a requirements file changed.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $(STAMP)

compilemessages: $(STAMP)
	@$(BIN)/pybabel -q compile -d locale -D django

run: $(STAMP) compilemessages
	@DEMO_MODE=1 HTTPS=0 $(BIN)/python manage.py migrate --noinput -v0
	@DEMO_MODE=1 HTTPS=0 $(BIN)/python manage.py collectstatic --noinput -v0
	@DEMO_MODE=1 HTTPS=0 $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Cyberportail santé : http://127.0.0.1:$(PORT)/  (administration : http://127.0.0.1:$(PORT)/admin/)"
	@echo "Tâches de fond : un worker (manage.py worker) et le planificateur (manage.py periodic --loop)."
	@DEMO_MODE=1 HTTPS=0 TASKS_BACKEND=database UPLOADS_WITHOUT_ANTIVIRUS=1 sh -c ' \
		$(BIN)/python manage.py worker -v 0 & worker=$$!; \
		$(BIN)/python manage.py periodic --loop & scheduler=$$!; \
		trap "kill $$worker $$scheduler 2>/dev/null" EXIT INT TERM; \
		$(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)'

test: $(STAMP) compilemessages
	$(BIN)/python -m pytest -q -p no:cacheprovider

e2e: $(STAMP) compilemessages
	$(BIN)/python -m pytest -q -p no:cacheprovider -m e2e tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new strings into the .po files (needs GNU gettext), then fill in the translations.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=node_modules

bench: $(STAMP) compilemessages
	$(BIN)/python bench/run.py

bench-search: $(STAMP) compilemessages
	$(BIN)/python bench/search_bench.py

bench-search-http: $(STAMP) compilemessages
	$(BIN)/python bench/search_http.py

clean:
	rm -rf $(VENV) staticfiles
