"""18.0.2.2.0: the customer pool.

Every existing account gets its first owner as a new one does: its key-account
manager, else the contact's salesperson when they work for the company; the
others start in the company's pool, as never owned.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Account = env["logistics.customer.tier"]
    for company in env["res.company"].search([]):
        Account._pool_init_new_rows(company)
