# qualcode: two commands on a fresh machine with python3 and make:
#   make demo   - set up .venv, install qualcode, run the bundled working-alliance study -> out/table3.docx, out/table4.docx
#   make test   - set up .venv with the test extras and run the tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
QC := $(VENV)/bin/qualcode
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test install bench clean-demo docs clients qualcoder-client

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# Real clients for the exchange tests that cannot share qualcode's virtualenv (Taguette pins SQLAlchemy 1.4).
CLIENTS := .venv-clients
CLIENTS_STAMP := $(CLIENTS)/.installed-taguette-1.5.2
$(CLIENTS_STAMP):
	@test -x $(CLIENTS)/bin/python || $(PYTHON) -m venv $(CLIENTS)
	$(CLIENTS)/bin/python -m pip install --quiet taguette==1.5.2
	@touch $@

clients: $(CLIENTS_STAMP)

# QualCoder's own REFI-QDA importer/exporter for tests/exchange/test_qualcoder_client.py: the Qt and PDF
# libraries its refi.py imports, pinned, from PyPI. QualCoder itself is not on PyPI and is not in this
# repository: point QUALCODE_QUALCODER_SRC at a checkout of it (docs/exchange.md). Not part of `make test`.
QUALCODER_VENV := .venv-qualcoder
QUALCODER_STAMP := $(QUALCODER_VENV)/.installed-pyqt6-6.11.0
$(QUALCODER_STAMP):
	@test -x $(QUALCODER_VENV)/bin/python || $(PYTHON) -m venv $(QUALCODER_VENV)
	$(QUALCODER_VENV)/bin/python -m pip install --quiet PyQt6==6.11.0 PyQt6-Qt6==6.11.2 PyQt6-sip==13.13.0 \
		PyMuPDF==1.26.7 Pillow==13.0.0
	@touch $@

qualcoder-client: $(QUALCODER_STAMP)

demo: $(STAMP)
	@$(PY) -m qualcode.demo

test: $(STAMP) $(CLIENTS_STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/agreement.py
	$(PY) benchmarks/autocode.py
	$(PY) benchmarks/report_quotes.py

docs: $(STAMP)
	$(PY) -m qualcode.cli.docgen > docs/cli.md
	$(PY) scripts/import_graph.py --write

clean-demo:
	rm -rf .qualcode out
