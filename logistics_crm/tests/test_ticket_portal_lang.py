from odoo.tests import HttpCase, new_test_user, tagged

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestTicketPortalLang(NoReadWriteRetryMixin, HttpCase):
    """The portal follows the logged-in customer's language, whatever the
    ``frontend_lang`` cookie the login page left; public pages keep the cookie."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "in", ("portal", "logistics_crm"))]
        )._update_translations(["zh_CN"])
        # Chinese as its contact: 19.0 gives a contact its company's language
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shanghai Shipper", "is_company": True, "lang": "zh_CN"}
        )
        cls.portal_zh = new_test_user(
            cls.env,
            login="lcrm_portal_zh",
            groups="base.group_portal",
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.portal_zh.partner_id.parent_id = cls.customer
        cls.ticket = cls.env["logistics.ticket"].create(
            {"name": "Pallet question", "partner_id": cls.portal_zh.partner_id.id}
        )
        cls.token = cls.ticket._portal_ensure_token()

    def _get(self, url, cookie_lang):
        # one cookie, as a browser has it (the server's own has a domain)
        for cookie in list(self.opener.cookies):
            if cookie.name == "frontend_lang":
                self.opener.cookies.clear(cookie.domain, cookie.path, cookie.name)
        self.opener.cookies.set("frontend_lang", cookie_lang)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_chinese_customer_reads_the_portal_in_chinese(self):
        self.authenticate("lcrm_portal_zh", "lcrm_portal_zh")
        response = self._get("/my/logistics/tickets", "en_US")
        self.assertIn("新建服务工单", response.text)
        self.assertNotIn(">New Ticket<", response.text)
        response = self._get(f"/my/logistics/tickets/{self.ticket.id}", "en_US")
        self.assertIn("Pallet question", response.text)
        self.assertIn("沟通历史", response.text)
        # and the cookie now says so for the next pages
        self.assertEqual(response.cookies.get("frontend_lang"), "zh_CN")

    def test_english_customer_keeps_english(self):
        self.portal_zh.lang = "en_US"
        self.authenticate("lcrm_portal_zh", "lcrm_portal_zh")
        response = self._get("/my/logistics/tickets", "zh_CN")
        self.assertIn("New Ticket", response.text)
        self.assertNotIn("新建服务工单", response.text)

    def test_public_page_follows_the_cookie(self):
        url = f"/my/logistics/tickets/{self.ticket.id}?access_token={self.token}"
        response = self._get(url, "zh_CN")
        self.assertIn("沟通历史", response.text)
        response = self._get(url, "en_US")
        self.assertIn("Communication history", response.text)
