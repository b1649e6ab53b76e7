def post_init_hook(env):
    """Every existing company gets its tier policy with the default service levels."""
    Policy = env["logistics.tier.policy"]
    for company in env["res.company"].search([]):
        Policy._get_company_policy(company)
