"""SQL conditions on invoices shared by the metrics and the daily planner."""

from odoo.tools import SQL


def posted_customer_invoices(company_id=None, alias="m", refunds=True):
    """WHERE condition of posted customer invoices (and credit notes when
    `refunds`) of a company (of any company when None): the one definition of
    "invoiced" for every metric."""
    condition = SQL(
        "%(state)s = 'posted' AND %(move_type)s IN %(move_types)s",
        state=SQL.identifier(alias, "state"),
        move_type=SQL.identifier(alias, "move_type"),
        move_types=("out_invoice", "out_refund") if refunds else ("out_invoice",),
    )
    if company_id is None:
        return condition
    return SQL(
        "%s = %s AND %s", SQL.identifier(alias, "company_id"), company_id, condition
    )
