# The project's vocabulary: `make run` serves the assistant, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
RASA      := $(BIN)/rasa
NLU_BUILD := build/nlu
MODEL     := models/assistant.tar.gz
CONFIG    ?= config.yml
TRAINING  := data $(NLU_BUILD)/data

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
# Rasa keys its training cache by configuration and data, not by the code of the
# project's components (nor the policy code they read): one cache per version of it.
CODE_KEY := $(shell cat components/*.py actions/policy/*.py actions/policy/policy.yml 2>/dev/null | sha1sum | cut -c1-12)
export RASA_CACHE_DIRECTORY := $(CURDIR)/.rasa/cache-$(CODE_KEY)

MODEL_INPUTS := $(CONFIG) domain.yml $(shell find data components -type f -name '*.y*ml' -o -type f -name '*.py' 2>/dev/null) $(NLU_BUILD)/.built
POLICY_FILES := $(wildcard actions/policy/*.py actions/policy/policy.yml) scripts/build_nlu.py
WEB_SOURCES  := web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/* web/pages/*)

.PHONY: help venv build web train run lint test test-unit validate test-stories test-conversation test-browser test-production services browser screenshots loadtest soak bench eval profile agent review-export retrain purge clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

venv: $(VENV)/.installed  ## Create .venv with Python 3.10 and install the pinned requirements

$(VENV)/.installed: requirements.txt
	@python310=$$(scripts/find-python310.sh) || { echo "make: Python 3.10 is required (Rasa 3.6 needs < 3.11) and none was found: install it, e.g. with 'pyenv install 3.10.13', so that python3.10 is on PATH or in pyenv." >&2; exit 1; }; \
	  echo "==> creating $(VENV) with $$python310"; \
	  [ -x $(PY) ] || $$python310 -m venv $(VENV)
	@echo "==> installing pinned requirements (a few minutes on a fresh machine)"
	$(BIN)/pip install --quiet --no-input -r requirements.txt
	@touch $@

build: $(NLU_BUILD)/.built  ## Generate the jieba dictionary, spaCy pipeline and synonyms from the policy vocabulary

$(NLU_BUILD)/.built: $(VENV)/.installed $(POLICY_FILES)
	@echo "==> building NLU resources from actions/policy/policy.yml"
	$(PY) scripts/build_nlu.py $(NLU_BUILD)
	@touch $@

web: build/web/.built  ## Bundle the chat widget and the agent console (pinned npm packages, esbuild) into build/web

web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "make: Node.js 18+ with npm is needed to build the widget: apt-get install nodejs npm" >&2; exit 1; }
	@echo "==> installing the widget's pinned npm packages"
	cd web && npm ci --no-audit --no-fund
	@touch $@

build/web/.built: web/node_modules/.installed $(WEB_SOURCES)
	@echo "==> bundling the widget and the agent console into build/web"
	cd web && node build.mjs
	@touch $@

train: $(MODEL)  ## Train the model when it is missing or older than its inputs

$(MODEL): $(VENV)/.installed $(MODEL_INPUTS)
	@echo "==> training the assistant with $(CONFIG)"
	@find .rasa -maxdepth 1 -name 'cache*' ! -name 'cache-$(CODE_KEY)' -exec rm -rf {} + 2>/dev/null || true
	$(RASA) train --config $(CONFIG) --domain domain.yml --data $(TRAINING) --out models --fixed-model-name assistant
	@touch $@

run: $(MODEL) web  ## Start the action server and the Rasa server (port 5005); Ctrl-C stops both
	@scripts/serve.sh $(MODEL)

lint: $(VENV)/.installed web/node_modules/.installed  ## ruff (lint + format), mypy (strict on the engine and the renderer), ESLint and the web unit tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	cd web && npm run --silent lint && npm test --silent

test: lint test-unit validate test-stories test-conversation test-browser  ## Run every test, linters first

test-unit: $(VENV)/.installed $(NLU_BUILD)/.built  ## Policy engine, vocabulary, renderer, actions, NLU components, stores, channels, test servers (no model needed)
	$(PY) -m pytest -q tests/policy tests/actions tests/components tests/stores tests/web tests/scripts

validate: $(VENV)/.installed $(NLU_BUILD)/.built  ## rasa data validate
	$(RASA) data validate --config $(CONFIG) --domain domain.yml --data $(TRAINING)

test-stories: $(MODEL)  ## Test stories, failing on any prediction error
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out build/results/core

test-conversation: $(MODEL)  ## Held-out NLU accuracy; the conversation benchmark; conversations, bad input, restarts, faults and load over REST; the security findings (tests/security)
	ASSISTANT_MODEL=$(MODEL) $(PY) -m pytest -q tests/nlu tests/conversations tests/e2e tests/security

test-browser: $(MODEL) web browser  ## The chat widget and the agent console in headless Chromium, against the whole stack
	ASSISTANT_MODEL=$(MODEL) $(PY) -m pytest -q tests/browser

test-production: $(MODEL) services  ## Two Rasa servers sharing PostgreSQL and Redis (installs both from Debian)
	ASSISTANT_MODEL=$(MODEL) $(PY) -m pytest -q tests/production

services:  ## Install PostgreSQL and Redis from Debian's packages when missing (needs root)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then \
	  echo "==> installing postgresql and redis-server"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null; \
	fi

browser:  ## Install Debian's chromium, chromium-driver and CJK fonts when missing (needs root)
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! fc-list :lang=zh | grep -q .; then \
	  echo "==> installing chromium, chromium-driver and fonts-noto-cjk"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	fi

screenshots: $(MODEL) web browser  ## PNGs of the widget and the agent console at 1280 and 360 px in screenshots/
	ASSISTANT_MODEL=$(MODEL) $(PY) scripts/screenshots.py

loadtest: $(VENV)/.installed  ## 16 concurrent conversations of 20 turns against the running assistant (`make run`)
	$(PY) -m scripts.loadtest --conversations 16 --turns 20

soak: $(MODEL)  ## 8 conversations over REST and socket.io for MINUTES (15) against servers it starts: errors, memory, storage
	ASSISTANT_MODEL=$(MODEL) $(PY) -m scripts.soak --minutes $(or $(MINUTES),15)

bench: $(NLU_BUILD)/.built  ## Train once and print speed and memory figures against one server (parse, turn, load, long conversation)
	$(PY) -m scripts.bench

profile: $(MODEL)  ## Where the time of one merchant turn goes (NLU, predictions, action calls, tracker store, JSON)
	ASSISTANT_MODEL=$(MODEL) $(PY) -m scripts.profile_turn

eval: $(MODEL)  ## The conversation benchmark (tests/conversations): a table per category, failed conversations
	ASSISTANT_MODEL=$(MODEL) $(PY) -m scripts.evaluate

agent: $(VENV)/.installed  ## Create a support agent with a token of their own (NAME=…), printed once
	@test -n "$(NAME)" || { echo "usage: make agent NAME=王芳 (ASSISTANT_PROFILE=production for PostgreSQL)" >&2; exit 2; }
	@$(PY) -W ignore -m scripts.agent "$(NAME)"

review-export: $(VENV)/.installed  ## Write the maintainers' labels as NLU examples (data/nlu/reviewed.yml); then make retrain
	@$(PY) -W ignore -m scripts.review_export

retrain: $(VENV)/.installed  ## Write the maintainers' labels into the trained model (after make review-export): seconds, the classifier unchanged
	$(PY) -W ignore -m scripts.retrain

purge: $(VENV)/.installed  ## Forget conversations older than ASSISTANT_RETENTION_DAYS (180), with their records (DAYS=… to choose)
	@$(PY) -W ignore -m scripts.purge $(if $(DAYS),--days $(DAYS))

clean:  ## Remove everything generated (keeps .venv)
	rm -rf build models results .pytest_cache
