# The two set-up commands of the README: `make generate` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
JAMDASH := $(VENV)/bin/jamdash

EXAMPLES := examples/shop

.PHONY: generate test check diff lint bench constraints system-deps clean docs release

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

## generate: create .venv, install jamdash and regenerate generated/ from metrics_spec.yaml (and the examples')
generate: $(VENV)/.installed
	$(JAMDASH) generate
	for example in $(EXAMPLES); do $(JAMDASH) generate --spec $$example/metrics_spec.yaml --out $$example/generated || exit 1; done

## system-deps: install promtool, Prometheus, Alertmanager, PostgreSQL and VictoriaMetrics (Debian, as root)
system-deps:
	bash .ci/system-deps

## test: install everything the tests need and run the whole suite, one worker per core (TEST_WORKERS=1: in order)
test: $(VENV)/.installed system-deps
	$(PY) -m pytest -n $(or $(TEST_WORKERS),auto) --dist loadfile --no-loadscope-reorder

## check: the CI steps after the tests (the same in .ci/run and the GitHub workflow), for JAM and each example
check: $(VENV)/.installed
	$(JAMDASH) generate --check
	$(JAMDASH) lint --format $(or $(LINT_FORMAT),text)
	for example in $(EXAMPLES); do \
	  $(JAMDASH) generate --check --spec $$example/metrics_spec.yaml --out $$example/generated || exit 1; \
	  $(JAMDASH) lint --format $(or $(LINT_FORMAT),text) --spec $$example/metrics_spec.yaml || exit 1; \
	done

## release: tag v<version> after the checks pass (docs/releasing.md); then git push origin v<version>
release: check
	bash .ci/release

## diff: spec compatibility against BASE (a git revision); DIFF_FORMAT=text|markdown|github
diff: $(VENV)/.installed
	$(JAMDASH) diff --base $(or $(BASE),$(error set BASE, e.g. make diff BASE=origin/main)) --format $(or $(DIFF_FORMAT),text)

## constraints: pin the exact versions of every installed dependency (after changing pyproject.toml)
constraints: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^jamdash'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache

## docs: re-render the rule tables in docs/ from jamdash/codes.py
docs: $(VENV)/.installed
	JAMDASH_UPDATE_DOCS=1 $(PY) -m pytest -q tests/project/test_docs_rules.py
