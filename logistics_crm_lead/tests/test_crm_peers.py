"""Odoo's own lead tests, run again with the bridge installed.

crm tags them at_install: they run while crm installs, before this addon is
loaded. Subclassed here as post_install, they run against crm.lead with the
logistics qualification, the won hook and the renewal fields in place
(Odoo's loader runs inherited test methods only with
allow_inherited_tests_method).
"""

from odoo.tests import tagged

from odoo.addons.crm.tests import (
    test_crm_lead,
    test_crm_lead_convert,
    test_crm_lead_merge,
)
from odoo.addons.logistics_crm.compat import ODOO_19


@tagged("post_install", "-at_install", "logistics_crm_peer")
class TestCRMLeadPeer(test_crm_lead.TestCRMLead):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "logistics_crm_peer")
class TestLeadConvertPeer(test_crm_lead_convert.TestLeadConvert):
    allow_inherited_tests_method = True


if not ODOO_19:
    # 18.0 only: 19.0 moved the lost-lead tests into TestCRMLead
    from odoo.addons.crm.tests import test_crm_lead_lost

    @tagged("post_install", "-at_install", "logistics_crm_peer")
    class TestLeadLostPeer(test_crm_lead_lost.TestLeadConvert):
        allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "logistics_crm_peer")
class TestLeadMergePeer(test_crm_lead_merge.TestLeadMerge):
    allow_inherited_tests_method = True
