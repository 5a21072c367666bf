# qualcode: two commands on a fresh machine with python3 and make:
#   make demo   - set up .venv, install qualcode, run the bundled working-alliance study -> out/table3.docx, out/table4.docx
#   make test   - set up .venv with the test extras and run the tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
QC := $(VENV)/bin/qualcode
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test install bench clean-demo docs

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	@$(PY) -m qualcode.demo

test: $(STAMP)
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
