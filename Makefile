# The two commands of README.md. Everything else lives in scripts/.
.PHONY: run test lint bench stop clean

run:  ## demo database with the module, served on http://localhost:8069
	scripts/run.sh

test:  ## lint, install/upgrade with clean logs, the whole test suite
	scripts/test.sh

lint:
	scripts/setup.sh && scripts/lint.sh

bench:
	scripts/bench.sh

stop:  ## stop the project's PostgreSQL cluster
	scripts/pg.sh stop

clean: stop
	rm -rf .run
