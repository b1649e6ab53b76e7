from datetime import date
from email.message import EmailMessage
from email.utils import make_msgid

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import LogisticsTierCase, load_chinese

DESK = "lcrm-intake@lcrm-intake.example.com"
ACME_DOMAIN = "acme-freight.example.com"


@tagged("post_install", "-at_install")
class TestTicketMailStrangers(LogisticsTierCase):
    """Email intake never attaches a stranger to a customer.

    Realistic customers: ranked by a tier recompute on posted invoices, a
    key-account manager from the policy's pool, a portal user and tickets.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # SLA policies of other data (e.g. demo) must not match the tests' tickets
        cls.env["logistics.sla.policy"].search([]).active = False
        cls.kam = cls._logistics_user("lcrm_intake_kam")
        # Pareto: Acme makes most of the value and is the A customer
        cls.policy.method = "value_share"
        cls.policy.manager_ids = [
            Command.create({"user_id": cls.kam.id, "capacity": 10})
        ]
        cls.acme, cls.beta, cls.gamma, *others = cls._customers(6, prefix="Intake")
        cls.acme.write({"name": "Acme Freight Co.", "email": f"info@{ACME_DOMAIN}"})
        # two customers of one group share the group's mail domain
        # small shippers often use a free-mail address as the company's own
        cls.beta.write({"name": "Beta Cargo", "email": "beta.cargo@qq.com"})
        cls.gamma.name = "Gamma Rail"
        cls.anna = Partner.create(
            {
                "name": "Anna Acme",
                "email": f"anna@{ACME_DOMAIN}",
                "parent_id": cls.acme.id,
            }
        )
        # Acme's warehouse writes from free mail: many Chinese shippers do
        cls.li = Partner.create(
            {"name": "Li Acme", "email": "li.acme@qq.com", "parent_id": cls.acme.id}
        )
        Partner.create(
            {
                "name": "Bo Beta",
                "email": "bo@group-logistics.example.com",
                "parent_id": cls.beta.id,
            }
        )
        Partner.create(
            {
                "name": "Gu Gamma",
                "email": "gu@group-logistics.example.com",
                "parent_id": cls.gamma.id,
            }
        )
        for customer, amount in zip(
            (cls.acme, cls.beta, cls.gamma, *others),
            (90000, 30000, 20000, 3000, 2000, 1000),
            strict=True,
        ):
            cls._invoice(customer, amount, "2026-06-01")
        cls.policy.with_user(cls.manager)._recompute_tiers(today=date(2026, 11, 15))

        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "lcrm-intake.example.com"}
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.team = cls.env["logistics.ticket.team"].create(
            {
                "name": "Intake Desk",
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.rep.ids)],
                "alias_name": "lcrm-intake",
                "alias_domain_id": cls.alias_domain.id,
            }
        )
        cls.acme_ticket = cls.env["logistics.ticket"].create(
            {
                "name": "Pallet short-shipped",
                "partner_id": cls.anna.id,
                "team_id": cls.team.id,
                "company_id": cls.company.id,
                "type_id": cls.env.ref("logistics_crm.logistics_ticket_type_damage").id,
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="lcrm_intake_portal",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.portal_user.partner_id.parent_id = cls.acme

        cls.company_2 = cls.env["res.company"].create({"name": "Intake Other Co."})
        cls.other_customer = Partner.create(
            {
                "name": "Other Co. Shipper",
                "is_company": True,
                "company_id": cls.company_2.id,
            }
        )
        cls.wang = Partner.create(
            {
                "name": "Wang Other",
                "email": "wang@other-shipper.example.com",
                "parent_id": cls.other_customer.id,
                "company_id": cls.company_2.id,
            }
        )

    def _mail(self, email_from, subject="Cargo damaged", **kw):
        message = EmailMessage()
        message["From"] = email_from
        message["To"] = kw.get("to", DESK)
        message["Subject"] = subject
        message["Message-ID"] = kw.get("msg_id") or make_msgid(domain="ext.example")
        message["Date"] = "Mon, 09 Mar 2026 10:00:00 +0000"
        for header, value in kw.get("headers", {}).items():
            message[header] = value
        message.set_content(kw.get("body", "Three cartons arrived wet."))
        if kw.get("attachment"):
            message.add_attachment(
                b"photo bytes",
                maintype="image",
                subtype="jpeg",
                filename=kw["attachment"],
            )
        thread_id = self.env["mail.thread"].message_process(None, message.as_string())
        return self.env["logistics.ticket"].browse(thread_id)

    def _assert_stranger(self, ticket, email):
        """``ticket`` has a contact of its own for ``email``, no customer's."""
        self.assertEqual(len(ticket), 1)
        contact = ticket.partner_id
        self.assertEqual(contact.email, email)
        self.assertFalse(contact.parent_id)
        self.assertEqual(ticket.commercial_partner_id, contact)
        self.assertFalse(ticket.customer_tier)
        self.assertFalse(ticket.key_account_manager_id)
        # in the team's queue, for the team to pick up
        self.assertEqual(ticket.team_id, self.team)
        self.assertFalse(ticket.user_id)
        self.assertIn(contact, ticket.message_partner_ids)
        self.assertNotIn(self.kam.partner_id, ticket.message_partner_ids)
        received = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(received.author_id, contact)
        return contact

    def _assert_hidden_from_portal(self, ticket):
        as_portal = self.env["logistics.ticket"].with_user(self.portal_user)
        self.assertFalse(as_portal.search([("id", "=", ticket.id)]))
        self.assertEqual(as_portal.search([]), self.acme_ticket)
        with self.assertRaises(AccessError):
            ticket.with_user(self.portal_user).read(["name"])
        # nor its messages and their attachments
        self.assertTrue(ticket.message_ids.attachment_ids)
        messages = (
            self.env["mail.message"]
            .with_user(self.portal_user)
            .search([("model", "=", "logistics.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertFalse(messages)

    def test_customers_are_realistic(self):
        acme = self.acme.with_company(self.company)
        self.assertEqual(acme.tier, "A")
        self.assertEqual(self.acme.key_account_manager_id, self.kam)
        self.assertEqual(self.acme.ticket_count, 1)
        self.assertFalse(self.team.match_customer_by_domain, "off by default")

    def test_free_mail_stranger_gets_a_contact_of_their_own(self):
        self.team.match_customer_by_domain = True
        for email in ("someone@qq.com", "boss@vip.qq.com"):
            ticket = self._mail(f"Some One <{email}>", attachment="wet.jpg")
            contact = self._assert_stranger(ticket, email)
            self.assertEqual(contact.name, "Some One")
            self.assertEqual(contact.company_id, self.company)
            self.assertNotIn(self.li, ticket.message_partner_ids)
            self.assertNotIn(self.beta, ticket.message_partner_ids)
            self._assert_hidden_from_portal(ticket)
        self.acme.invalidate_recordset(["ticket_count"])
        self.assertEqual(self.acme.ticket_count, 1, "not in the customer's statistics")

    def test_stranger_of_a_customer_domain_without_opt_in(self):
        email = f"new.person@{ACME_DOMAIN}"
        ticket = self._mail(f"New Person <{email}>", attachment="wet.jpg")
        self._assert_stranger(ticket, email)
        self._assert_hidden_from_portal(ticket)

    def test_stranger_of_a_customer_domain_with_opt_in(self):
        self.team.match_customer_by_domain = True
        ticket = self._mail(f"New Person <new.person@{ACME_DOMAIN}>")
        self.assertEqual(ticket.partner_id.name, "New Person")
        self.assertEqual(ticket.partner_id.parent_id, self.acme)
        self.assertEqual(ticket.commercial_partner_id, self.acme)
        self.assertEqual(ticket.customer_tier, "A")
        self.assertEqual(ticket.key_account_manager_id, self.kam)
        self.assertIn(self.kam.partner_id, ticket.message_partner_ids)
        self.assertFalse(ticket.user_id)
        as_portal = self.env["logistics.ticket"].with_user(self.portal_user)
        self.assertEqual(as_portal.search([("id", "=", ticket.id)]), ticket)

    def test_domain_of_two_customers_links_none(self):
        self.team.match_customer_by_domain = True
        email = "new@group-logistics.example.com"
        ticket = self._mail(email, attachment="wet.jpg")
        self._assert_stranger(ticket, email)
        self.assertNotIn(ticket.commercial_partner_id, self.beta | self.gamma)

    def test_domain_of_our_own_company_links_none(self):
        self.team.match_customer_by_domain = True
        self.company.partner_id.email = "info@our-logistics.example.com"
        email = "colleague@our-logistics.example.com"
        ticket = self._mail(email, attachment="wet.jpg")
        self._assert_stranger(ticket, email)

    def test_partner_of_another_company_is_neither_linked_nor_following(self):
        self.team.match_customer_by_domain = True
        email = self.wang.email
        ticket = self._mail(f"Wang Other <{email}>", attachment="wet.jpg")
        contact = self._assert_stranger(ticket, email)
        self.assertNotEqual(contact, self.wang)
        self.assertEqual(contact.company_id, self.company)
        self.assertNotIn(self.wang, ticket.message_partner_ids)
        self.assertNotIn(self.other_customer, ticket.message_partner_ids)
        self.assertNotIn(self.wang, ticket.message_ids.author_id)
        self._assert_hidden_from_portal(ticket)
        # the next mail finds the contact made here, not the other company's
        again = self._mail(f"Wang Other <{email}>", subject="Second shipment")
        self.assertEqual(again.partner_id, contact)

    def test_partner_of_another_company_replying_does_not_follow(self):
        first = self._mail(f"anna@{ACME_DOMAIN}", msg_id="<intake-first@ext.example>")
        self.assertEqual(first.partner_id, self.anna)
        reply = self._mail(
            self.wang.email,
            subject="Re: Cargo damaged",
            body="We carried it on the second leg.",
            headers={
                "In-Reply-To": "<intake-first@ext.example>",
                "References": "<intake-first@ext.example>",
            },
        )
        self.assertEqual(reply, first, "the reply joins the ticket")
        message = first.message_ids.filtered(lambda m: "second leg" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertFalse(message.author_id)
        self.assertIn(self.wang.email, message.email_from)
        self.assertNotIn(self.wang, first.message_partner_ids)

    def test_known_contact_is_linked(self):
        for contact in (self.anna, self.li):  # a known free-mail address too
            ticket = self._mail(f"{contact.name} <{contact.email}>")
            self.assertEqual(ticket.partner_id, contact)
            self.assertEqual(ticket.commercial_partner_id, self.acme)
            self.assertEqual(ticket.customer_tier, "A")
            self.assertEqual(ticket.key_account_manager_id, self.kam)
            self.assertEqual(ticket.team_id, self.team)
            self.assertIn(contact, ticket.message_partner_ids)
            self.assertIn(self.kam.partner_id, ticket.message_partner_ids)
            as_portal = self.env["logistics.ticket"].with_user(self.portal_user)
            self.assertEqual(as_portal.search([("id", "=", ticket.id)]), ticket)

    def test_shared_partner_is_linked(self):
        shared = self.env["res.partner"].create(
            {"name": "Shared Broker", "email": "desk@broker.example.com"}
        )
        ticket = self._mail("desk@broker.example.com")
        self.assertEqual(ticket.partner_id, shared)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mail_without_a_usable_sender(self):
        ticket = self._mail("not an address", subject="")
        self.assertEqual(ticket.team_id, self.team)
        self.assertFalse(ticket.partner_id)
        self.assertEqual(ticket.name, "(no subject)")


@tagged("post_install", "-at_install")
class TestFreeMailDomain(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Domain = cls.env["logistics.free.mail.domain"]

    def test_seeded_list_covers_subdomains(self):
        qq = self.env.ref("logistics_crm.logistics_free_mail_domain_qq_com")
        self.assertEqual(qq.name, "qq.com")
        for domain in ("qq.com", "vip.qq.com", "163.com", "gmail.com", "QQ.com"):
            self.assertTrue(self.Domain._is_free_mail(domain), domain)
        for domain in ("acme-freight.example.com", "com", "", "notqq.com"):
            self.assertFalse(self.Domain._is_free_mail(domain), domain)
        qq.active = False
        self.assertFalse(self.Domain._is_free_mail("qq.com"), "archived")

    def test_names_are_normalized(self):
        record = self.Domain.create({"name": "  @Free-Mail.Example. "})
        self.assertEqual(record.name, "free-mail.example")
        record.name = "someone@Other-Mail.Example"
        self.assertEqual(record.name, "other-mail.example")

    def test_bad_input_is_a_clear_error(self):
        for name in ("qq", "not a domain", "a..b", "-bad.example", "x_y.example"):
            with self.assertRaisesRegex(ValidationError, "is not an email domain"):
                with self.env.cr.savepoint():
                    self.Domain.create({"name": name})
        record = self.Domain.create({"name": "good.example"})
        with self.assertRaisesRegex(ValidationError, "is not an email domain"):
            with self.env.cr.savepoint():
                record.name = "bad"
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Domain.create({"name": "GOOD.example"})

    def test_error_is_translated(self):
        load_chinese(self.env)
        Domain = self.Domain.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "不是邮箱域名"):
            with self.env.cr.savepoint():
                Domain.create({"name": "qq"})
        description = self.env["ir.model"]._get("logistics.free.mail.domain")
        self.assertEqual(description.with_context(lang="zh_CN").name, "免费邮箱域名")
        field = self.env["logistics.ticket.team"].with_context(lang="zh_CN")
        self.assertEqual(
            field.fields_get(["match_customer_by_domain"], ["string"])[
                "match_customer_by_domain"
            ]["string"],
            "按邮箱域名匹配客户",
        )

    def test_access_rights(self):
        qq = self.env.ref("logistics_crm.logistics_free_mail_domain_qq_com")
        self.assertEqual(qq.with_user(self.rep).name, "qq.com")
        with self.assertRaises(AccessError):
            self.Domain.with_user(self.rep).create({"name": "rep.example"})
        with self.assertRaises(AccessError):
            qq.with_user(self.rep).write({"active": False})
        record = self.Domain.with_user(self.manager).create({"name": "mgr.example"})
        record.with_user(self.manager).unlink()
