"""Odoo for the harness's own Python scripts (the bench, the simulated year, the
two-server seed): the connection arguments they share and the Odoo checkout,
imported and configured for their database."""

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def add_connection_arguments(parser):
    """--odoo-path and the database server's --db-*; the harness (scripts/common.sh)
    passes them through its environment."""
    parser.add_argument("--odoo-path", default=os.environ.get("ODOO_PATH", "/opt/odoo"))
    parser.add_argument("--db-host", default=os.environ.get("DB_HOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("DB_PORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("DB_USER", "odoo"))
    parser.add_argument("--db-password", default=os.environ.get("DB_PASSWORD", "odoo"))


def load_odoo(args):
    """The `odoo` package of args.odoo_path, configured for args.db with the
    project's addons, no workers and no cron threads."""
    sys.path.insert(0, args.odoo_path)
    # 19.0 imports no submodule with the package: name each one
    import odoo  # noqa: PLC0415
    import odoo.api  # noqa: PLC0415
    import odoo.modules.registry  # noqa: PLC0415
    import odoo.sql_db  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    # the harness's names only the folders this Odoo has (19.0 has no addons/)
    addons_path = os.environ.get(
        "ODOO_ADDONS_PATH",
        f"{args.odoo_path}/addons,{args.odoo_path}/odoo/addons,{PROJECT_DIR}",
    )
    config.parse_config(
        [
            "-d",
            args.db,
            f"--addons-path={addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--db_password={args.db_password}",
            "--log-level=warn",
            "--http-interface=127.0.0.1",
            "--workers=0",
            "--max-cron-threads=0",
        ]
    )
    return odoo
