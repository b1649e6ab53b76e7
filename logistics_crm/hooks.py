def post_init_hook(env):
    """Every existing company gets its tier policy with the default service levels."""
    Policy = env["logistics.tier.policy"]
    for company in env["res.company"].search([]):
        Policy._get_company_policy(company)


def post_load():
    """Read every module's static paths now, in the loading thread.

    Odoo reads them on the first web request, parsing each manifest; on Python 3.11
    two threads parsing at once can fail ("AST constructor recursion depth
    mismatch", fixed in 3.12), which once broke a browser test's first request.
    """
    from .compat import warm_static_paths  # noqa: PLC0415 - after Odoo's own modules

    return warm_static_paths()
