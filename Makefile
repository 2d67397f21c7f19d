# The project's two commands: `make demo` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TONGXIN_ALLOWED_HOSTS ?= 127.0.0.1,localhost

.PHONY: demo test test-browser install lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本（当前为 %s）" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# The demo keeps the printed password and lets the administrators in without an authenticator
# app; production keeps both on (README: 登录安全). Either can be turned on for the demo too:
# `make demo TONGXIN_ADMIN_OTP_REQUIRED=1 TONGXIN_FORCE_FIRST_PASSWORD_CHANGE=1`.
demo: export TONGXIN_FORCE_FIRST_PASSWORD_CHANGE ?= 0
demo: export TONGXIN_ADMIN_OTP_REQUIRED ?= 0
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@# The import worker runs beside the server and stops with it.
	$(BIN)/python manage.py import_worker --loop & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest

test-browser: install
	$(BIN)/python -m pytest -m browser e2e

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var bench/data
