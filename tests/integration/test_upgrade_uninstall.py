"""Upgrade and uninstall of the addon on a database full of its data.

make test runs it last, on the demo database (LOGISTICS_CRM_UPGRADE_DB); run alone,
the test is skipped.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

DB = os.environ.get("LOGISTICS_CRM_UPGRADE_DB")
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
pytestmark = pytest.mark.skipif(not DB, reason="no database given")

# the harness's (scripts/common.sh) names only the folders this Odoo has
ADDONS_PATH = os.environ.get(
    "ODOO_ADDONS_PATH", f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{PROJECT_DIR}"
)
CONNECTION = [
    f"--addons-path={ADDONS_PATH}",
    f"--db_host={os.environ.get('DB_HOST', '127.0.0.1')}",
    f"--db_port={os.environ.get('DB_PORT', '5432')}",
    f"--db_user={os.environ.get('DB_USER', 'odoo')}",
    f"--db_password={os.environ.get('DB_PASSWORD', 'odoo')}",
    "--http-interface=127.0.0.1",
]


def run_odoo_bin(*args, timeout=600):
    """odoo-bin in its own process group, ended with all it started on timeout."""
    odoo_bin = os.path.join(ODOO_PATH, "odoo-bin")
    command = [sys.executable, odoo_bin, *CONNECTION, *args, "--log-level=warn"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and odoo-bin
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None or _group_alive(process.pid):
            _end_group(process.pid)
            process.wait()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _end_group(pgid):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)
        os.killpg(pgid, signal.SIGKILL)


@pytest.fixture(scope="module")
def odoo():
    sys.path.insert(0, ODOO_PATH)
    # 19.0 imports no submodule with the package: name each one
    import odoo as odoo_module  # noqa: PLC0415
    import odoo.api  # noqa: PLC0415
    import odoo.modules.registry  # noqa: PLC0415
    import odoo.tools  # noqa: PLC0415

    odoo_module.tools.config.parse_config([*CONNECTION, "--log-level=warn"])
    return odoo_module


def run_in_env(odoo, function):
    odoo.modules.registry.Registry.delete(DB)
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        return function(env)


def snapshot(env):
    cr = env.cr
    data = {}
    for table in (
        "logistics_customer_tier",
        "logistics_tier_history",
        "logistics_ticket",
        "logistics_visit",
        "logistics_account_assignment",
        "logistics_volume",
    ):
        cr.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
        data[table] = cr.fetchone()[0]
    cr.execute("SELECT partner_id, company_id, tier FROM logistics_customer_tier")
    data["tiers"] = sorted(cr.fetchall())
    return data


def addon_activity_types(env):
    env.cr.execute(
        """SELECT res_id FROM ir_model_data
            WHERE module = 'logistics_crm' AND model = 'mail.activity.type'"""
    )
    return tuple(row[0] for row in env.cr.fetchall())


def business_data(env, addon_types):
    """What must survive an uninstall: partners, invoices, the other activities
    (of types other than the addon's, read before the uninstall), by id: Odoo
    19.0 keeps done activities, archived, and its uninstall turns the addon's
    into To-Dos, which are then others too."""
    cr = env.cr
    # the addon's own demo records (its customers, its users' partners) leave with it,
    # as any module's data does; every other partner must stay
    cr.execute(
        """
        SELECT COUNT(*) FROM res_partner p
         WHERE p.id NOT IN (
                SELECT res_id FROM ir_model_data
                 WHERE module = 'logistics_crm' AND model = 'res.partner')
           AND p.id NOT IN (
                SELECT u.partner_id FROM res_users u
                  JOIN ir_model_data d ON d.res_id = u.id AND d.model = 'res.users'
                 WHERE d.module = 'logistics_crm')
        """
    )
    partners = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*), SUM(amount_total) FROM account_move")
    moves = cr.fetchone()
    cr.execute(
        """
        SELECT a.id FROM mail_activity a
          JOIN ir_model m ON m.id = a.res_model_id
         WHERE m.model NOT LIKE 'logistics.%%'
           AND NOT a.activity_type_id = ANY(%s)
        """,
        [list(addon_types)],
    )
    activities = {row[0] for row in cr.fetchall()}
    return partners, moves, activities


def test_upgrade_keeps_every_record(odoo):
    before = run_in_env(odoo, snapshot)
    assert before["logistics_customer_tier"] > 0
    assert before["logistics_visit"] > 0
    assert before["logistics_ticket"] > 0
    result = run_odoo_bin("-d", DB, "-u", "logistics_crm", "--stop-after-init")
    assert result.returncode == 0, result.stderr[-3000:]
    assert " ERROR " not in result.stderr, result.stderr[-3000:]
    assert run_in_env(odoo, snapshot) == before


def test_uninstall_leaves_partners_invoices_and_activities(odoo):
    def add_foreign_activity(env):
        partner = env["res.partner"].search([("is_company", "=", True)], limit=1)
        partner.activity_schedule("mail.mail_activity_data_todo", summary="Keep me")
        env.cr.commit()

    run_in_env(odoo, add_foreign_activity)
    addon_types = run_in_env(odoo, addon_activity_types)
    assert addon_types
    before = run_in_env(odoo, lambda env: business_data(env, addon_types))
    assert before[2]

    def uninstall(env):
        module = env["ir.module.module"].search([("name", "=", "logistics_crm")])
        module.button_immediate_uninstall()
        env.cr.commit()

    run_in_env(odoo, uninstall)

    def state(env):
        module = env["ir.module.module"].search([("name", "=", "logistics_crm")])
        state = module.state
        env.cr.execute("SELECT to_regclass('logistics_customer_tier')")
        return state, env.cr.fetchone()[0]

    assert run_in_env(odoo, state) == ("uninstalled", None)
    partners, moves, activities = run_in_env(
        odoo, lambda env: business_data(env, addon_types)
    )
    assert (partners, moves) == before[:2]
    assert activities >= before[2], before[2] - activities
