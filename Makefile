# logistics_crm: see README.md. Odoo 18.0 by default (ODOO18_PATH, /opt/odoo); ODOO_VERSION=19
# chooses 19.0 (ODOO19_PATH, /opt/odoo19); ODOO_PATH, when given, is the checkout to use.
# make test runs both versions.

.PHONY: run test bench simulate lint venv drop-db clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

venv:
	bash -c 'source scripts/common.sh; check_odoo; ensure_venv'

lint: venv
	.venv/bin/ruff check . && .venv/bin/ruff format --check . \
		&& .venv/bin/pylint --rcfile=.pylintrc-mandatory logistics_crm logistics_crm_lead

drop-db:
	bash -c 'source scripts/common.sh; ensure_postgres; drop_db $${RUN_DB:-logistics_crm_demo}'

clean:
	bash -c 'source scripts/common.sh; if [ -f "$$PGDATA_DIR/postmaster.pid" ]; then \
		as_pg_owner "$$PG_BIN/pg_ctl" -D "$$PGDATA_DIR" -m fast -w stop; fi'
	rm -rf .venv .local

# make bench BENCH_ARGS="--customers 10000 --invoices 100000" for a smaller run
bench:
	bash scripts/bench.sh $(BENCH_ARGS)

# make simulate SIMULATION_ARGS="--days 800 --customers 600 --seed 7": the simulated
# year alone (make test runs it with the default flags)
simulate:
	bash scripts/simulate.sh $(SIMULATION_ARGS)
