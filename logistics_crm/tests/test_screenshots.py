"""Not part of the suite: refreshes the README's screenshots from the demo data.

    odoo-bin -d DEMO_DB -u logistics_crm --test-enable \\
        --test-tags logistics_crm_screenshots --stop-after-init

writes docs/screenshots/*.png (English and zh_CN) with the headless Chromium the
tours use (Chinese needs a CJK font, e.g. Debian's fonts-noto-cjk). Tagged out of
'standard': `make test` never runs it.
"""

import base64
import json
import pathlib

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# name, url, CSS selector to wait for, optional selector to click first, and
# optionally the viewport ("390x844": a phone, touch enabled)
SHOTS = [
    (
        "customer_pool",
        "/odoo/action-logistics_crm.res_partner_action_customer_pool",
        ".o_list_view .o_data_row",
        None,
    ),
    (
        "morning",
        "/odoo/action-logistics_crm.logistics_crm_morning_action",
        ".o_logistics_crm_morning .o_logistics_crm_todo",
        None,
    ),
    (
        "overview",
        "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
        ".o_action",
        None,
    ),
    (
        "partner_logistics_tab",
        "/odoo/action-logistics_crm.res_partner_action_logistics_customers/{eastwind}",
        ".o_form_view",
        "a[name='logistics']",
    ),
    (
        "abc_analysis",
        "/odoo/action-logistics_crm.logistics_customer_tier_action?view_type=pivot",
        ".o_pivot",
        None,
    ),
    (
        "visits_calendar",
        "/odoo/action-logistics_crm.logistics_visit_action",
        ".o_calendar_view",
        None,
    ),
    (
        "visit_checkin_phone",
        "/odoo/action-logistics_crm.logistics_visit_action_my",
        ".o_kanban_view .o_kanban_record",
        None,
        "390x844",
    ),
]
ZH_CN_SHOTS = (
    "customer_pool",
    "morning",
    "overview",
    "partner_logistics_tab",
    "visit_checkin_phone",
)
DESKTOP = "1400x900"

WAIT_AND_SIGNAL = """
const wait = (selector) => new Promise((resolve) => {
    const timer = setInterval(() => {
        const element = document.querySelector(selector);
        if (element) { clearInterval(timer); resolve(element); }
    }, 100);
});
(async () => {
    await wait(%(ready)s);
    const click = %(click)s;
    if (click) { (await wait(click)).click(); }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    console.log("test successful");
})();
"""


@tagged("-standard", "post_install", "-at_install", "logistics_crm_screenshots")
class TakeScreenshots(HttpCase):
    browser_size = DESKTOP

    def _shoot(self, name, url, ready, click, size=DESKTOP):
        # ChromeBrowser reads the viewport and touch mode from the test case
        self.browser_size, self.touch_enabled = size, size != DESKTOP
        browser = ChromeBrowser(self, headless=True, success_signal="test successful")
        try:
            # the web client shows times in the browser's zone: the user's, as at work
            browser._websocket_request(
                "Emulation.setTimezoneOverride",
                params={"timezoneId": self.env.ref("base.user_admin").tz or "UTC"},
            )
            self.authenticate("admin", "admin", browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(self.base_url() + url, wait_stop=True)
            browser._wait_code_ok(
                WAIT_AND_SIGNAL
                % {"ready": json.dumps(ready), "click": json.dumps(click)},
                60,
            )
            data = browser._websocket_request("Page.captureScreenshot", params={})[
                "data"
            ]
            (DOCS / f"{name}.png").write_bytes(base64.b64decode(data))
        finally:
            browser.stop()

    def test_take_screenshots(self):
        eastwind = self.env.ref("logistics_crm.partner_eastwind_electronics_demo")
        admin = self.env.ref("base.user_admin")
        for suffix, lang in (("", "en_US"), ("_zh_CN", "zh_CN")):
            if lang != "en_US":
                self.env["res.lang"]._activate_lang(lang)
                # Odoo's own words too: every installed module's catalogue
                self.env["ir.module.module"].search(
                    [("state", "=", "installed")]
                )._update_translations([lang])
            admin.lang = lang
            for name, url, ready, click, *size in SHOTS:
                if suffix and name not in ZH_CN_SHOTS:
                    continue
                self._shoot(
                    name + suffix,
                    url.format(eastwind=eastwind.id),
                    ready,
                    click,
                    *size,
                )
