# The two commands of README.md. Everything else lives in scripts/.
.PHONY: run test lint format i18n upgrade-test bench stop clean

run:  ## demo database with the module, served on http://localhost:8069
	scripts/run.sh

test:  ## lint, install/upgrade with clean logs, the whole test suite
	scripts/test.sh

lint:
	scripts/setup.sh && scripts/lint.sh

format:  ## apply ruff, prettier and regenerate README.rst
	scripts/setup.sh && scripts/format.sh

i18n:  ## export i18n/nikki_dunning.pot from an install and update the .po files
	scripts/i18n.sh

upgrade-test:  ## upgrade from the previous release in git history
	scripts/upgrade_test.sh

bench:
	scripts/bench.sh

stop:  ## stop the project's PostgreSQL cluster
	scripts/pg.sh stop

clean: stop
	rm -rf .run
