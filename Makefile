# Pantau UHC. `make html` and `make test` set everything up on a machine with python3 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export PYTHONPATH := plugins
export PYTHONHASHSEED := 0

.PHONY: add-source docs html test test-incremental validate diff serve preview devserver publish bench audit lint format messages clean import

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	# plugins/ on the venv's path, so that `python -m uhc_portal …` works without PYTHONPATH
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "uhc-portal.pth").write_text(str(pathlib.Path("plugins").resolve()) + "\n")'
	touch $(STAMP)

# Test tools from npm, pinned by package-lock.json: the Nu HTML Checker (vnu.jar, on Java), axe-core
# and Lighthouse (both in Debian's chromium). --ignore-scripts: vnu-jar's postinstall would
# download a Java; the system's (default-jre-headless) serves.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

html: $(STAMP)
	$(PY) -m uhc_portal build --settings pelicanconf.py --output output

publish: $(STAMP)
	$(PY) -m uhc_portal build --settings publishconf.py --output output

# FORMAT=github: one `::error file=…,line=…` annotation per data error, for a pull request.
validate: $(STAMP)
	$(PY) -m uhc_portal validate --data data$(if $(FORMAT), --format $(FORMAT))

# What the site would show differently from BASE (default: the merge base with main); fails on a
# published figure changed or removed without an entry in data/corrections.yaml.
diff: $(STAMP)
	$(PY) -m uhc_portal diff --data data$(if $(BASE), --base $(BASE))$(if $(FORMAT), --format $(FORMAT))

# make add-source ARGS='--id … --title … --excerpt …' (the flags of `python -m uhc_portal add-source`)
add-source: $(STAMP)
	$(PY) -m uhc_portal add-source $(ARGS)

# make import FILE=rekap.xlsx SOURCE=dinkes-jatim-2024 AS_OF=2024-06 [ARGS='--dry-run --sheet Rekap']
import: $(STAMP)
	$(PY) -m uhc_portal import "$(FILE)" --source "$(SOURCE)" --as-of "$(AS_OF)" $(ARGS)

# TEST_ARGS: pytest arguments, e.g. TEST_ARGS="tests/test_core_status.py -x" for a selection.
test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest $(TEST_ARGS)

# The equivalence of incremental and clean builds over 200 random edits (make test runs 12);
# long: 9 min 47 s measured on a 2-core machine. UHC_EQUIVALENCE_SEED=n for other edits.
test-incremental: $(STAMP)
	UHC_EQUIVALENCE_EDITS=200 $(PY) -m pytest tests/test_incremental.py -k equal_clean_builds

serve: html
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory output

# Build, serve output/ on 127.0.0.1:$(PORT), rebuild on every saved change to data/, content/,
# theme/ or pelicanconf.py (the same strict, atomic build as `make html`) and reload the open
# page; a failed build's errors show in the terminal and on the page, the last good site stays.
PORT ?= 8000
preview: $(STAMP)
	$(PY) -m uhc_portal serve --settings pelicanconf.py --output output --port $(PORT) --bind 127.0.0.1

devserver: preview

# Lighthouse (mobile) on one page of each type of the site as published: scores in
# output-audit/lighthouse.{json,md}
audit: $(STAMP) $(NODE_STAMP)
	$(PY) scripts/audit.py --report output-audit

# The 1× synthetic national site (6,152 pages) built cold, warm and after one change, the figure
# diff, an import dry run, the preview server's delay, and the same pages built by plain Pelican
# and by Hugo (if installed): roughly 10–20 minutes on a 2-core machine, with its load. SCALE10=1
# adds a cold build of the 10× site, run to completion: roughly 15 minutes more. BENCH_ARGS: more options (`--json
# r.json`, `--no-hugo`; .venv/bin/python -m benchmarks.run --help lists them). See BENCHMARKS.md.
bench: $(STAMP)
	$(PY) -m benchmarks.run$(if $(filter-out 0,$(SCALE10)), --scale10)$(if $(BENCH_ARGS), $(BENCH_ARGS))

# Also the CI files: zizmor's offline security audit must find nothing, and the workflows and the
# issue form must validate against GitHub's schemas (vendored in check-jsonschema).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/zizmor --offline --persona pedantic --no-progress --quiet .github/workflows
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/laporan-angka.yml

format: $(STAMP)
	$(VENV)/bin/ruff format .

# The settings table in docs/settings.md, from settings.SETTINGS (a test fails when it is stale).
docs: $(STAMP)
	$(PY) scripts/settings_table.py

messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k M_ -k Mn_:1,2 --omit-header --sort-output -o plugins/uhc_portal/locale/messages.pot .
	$(PY) scripts/update_catalogues.py

clean:
	rm -rf output output-audit .output-* .pytest_cache
