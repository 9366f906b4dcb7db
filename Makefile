# planchat: the two quickstart commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.planchat-installed

# Offline by design: no model hub, no telemetry, no analytics.
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run serve test test-fast browser ocr-tools eval eval-external calibrate bench clean

setup: $(STAMP)

# torch is installed first and pinned: the CPU wheel lies on local disk, an
# unpinned torch would pull several GB of CUDA.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Main job: ingest the bundled sample plans if the index is empty, start the chat app.
run: setup ocr-tools
	$(BIN)/planchat serve --ingest-if-empty data/sample_plans

## Headless Chromium for the browser tests (Debian packages; Playwright uses /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium chromium-driver' (browser tests will be skipped)"; fi; }

## OCR of scanned PDFs and old Word .doc files (Debian packages): Tesseract with Vietnamese data,
## poppler (pdftoppm), LibreOffice Writer headless, antiword; Liberation fonts for the OCR tests.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils libreoffice-writer-nogui antiword fonts-liberation2
SERIF_FONT := /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
ocr-tools:
	@{ command -v tesseract && tesseract --list-langs 2>&1 | grep -qx vie && command -v pdftoppm && \
	   command -v soffice && command -v antiword && test -f $(SERIF_FONT); } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends $(OCR_PACKAGES) >/dev/null; \
	  else echo "OCR tools missing: run 'sudo apt-get install $(OCR_PACKAGES)' (scanned PDFs and .doc files will be refused, their tests skipped)"; fi; }

## Full test suite (unit + integration + browser).
test: setup browser ocr-tools
	$(BIN)/python -m pytest -q

## Unit tests only (no real model, server or browser).
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

eval: setup
	$(BIN)/planchat eval evals/datasets/sample_plans.jsonl --baseline langchain

## Real model on documents nobody here wrote: the external dev and held-out sets (over
## ../shared/external/dev-docs) and ALQAC 2022. Indexes live in .planchat-eval/ and are
## reused (incremental ingest); runs go to evals/runs/external-<time>/{dev,heldout,alqac2022}.
EXTERNAL_DIR ?= $(or $(PLANCHAT_EXTERNAL_DIR),../shared/external)
EXTERNAL_DATA := .planchat-eval
EXTERNAL_RUN := evals/runs/external-$(shell date +%Y%m%d-%H%M%S)
eval-external: setup
	@test -d $(EXTERNAL_DIR)/dev-docs -a -f $(EXTERNAL_DIR)/alqac2022/question.json || \
	  { echo "external material not found in $(EXTERNAL_DIR) (set PLANCHAT_EXTERNAL_DIR)"; exit 2; }
	$(BIN)/planchat ingest $(filter-out %/SOURCES.md,$(wildcard $(EXTERNAL_DIR)/dev-docs/*)) --data-dir $(EXTERNAL_DATA)/dev-docs
	$(BIN)/planchat eval evals/datasets/external_dev.jsonl --data-dir $(EXTERNAL_DATA)/dev-docs --out $(EXTERNAL_RUN)/dev
	$(BIN)/planchat eval evals/datasets/external_heldout.jsonl --data-dir $(EXTERNAL_DATA)/dev-docs --out $(EXTERNAL_RUN)/heldout
	$(BIN)/planchat eval $(EXTERNAL_DIR)/alqac2022/question.json --format alqac --data-dir $(EXTERNAL_DATA)/alqac2022 --out $(EXTERNAL_RUN)/alqac2022
	@echo; $(BIN)/python -m evals.external_sets table $(EXTERNAL_RUN)/dev $(EXTERNAL_RUN)/heldout $(EXTERNAL_RUN)/alqac2022

bench: setup
	$(BIN)/planchat bench

clean:
	rm -rf .planchat tests/artifacts .pytest_cache

## Refit the answerer's ranker and abstention threshold on the development halves (never the
## held-out ones) and write assistant/data/ranker.json (semantic pair; the lexical pair is kept) and
## docs/abstention-curve.md. Uses the
## indexes of eval-external (built here when missing) and one of the sample plans.
calibrate: setup
	@test -d $(EXTERNAL_DIR)/dev-docs -a -f $(EXTERNAL_DIR)/alqac2022/question.json || \
	  { echo "external material not found in $(EXTERNAL_DIR) (set PLANCHAT_EXTERNAL_DIR)"; exit 2; }
	$(BIN)/planchat ingest data/sample_plans --data-dir $(EXTERNAL_DATA)/sample-plans
	$(BIN)/planchat ingest $(filter-out %/SOURCES.md,$(wildcard $(EXTERNAL_DIR)/dev-docs/*)) data/sample_plans --data-dir $(EXTERNAL_DATA)/dev-docs-and-plans
	$(BIN)/python -m evals.calibrate \
	  --set $(EXTERNAL_DATA)/sample-plans=evals/datasets/sample_plans.jsonl \
	  --set $(EXTERNAL_DATA)/sample-plans=evals/datasets/dev.jsonl \
	  --set $(EXTERNAL_DATA)/dev-docs-and-plans=evals/datasets/external_dev.jsonl \
	  --set $(EXTERNAL_DATA)/alqac2022=alqac:dev \
	  --write assistant/data/ranker.json --curve-out docs/abstention-curve.md
