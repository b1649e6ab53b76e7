"""Field-level privacy of what the addon adds to shared models.

Customers (portal users) and employees without a Logistics CRM group may read
partners, users and companies, but none of the addon's fields on them: the
profile, the personal notes, the tier and its value, the account team, the
statistics and the lists. The fields are discovered, not listed, so that a
field added later without ``groups`` fails here.
"""

from freezegun import freeze_time
from lxml import etree

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.logistics_crm.compat import GROUPS_FIELD, MOBILE_FIELD, ODOO_19

from .common import LogisticsTierCase
from .readonly_requests import NoReadWriteRetryMixin

ADDON = "logistics_crm"
CRM_USER = "logistics_crm.group_logistics_crm_user"
PARTNER_VIEW_TYPES = ("form", "list", "kanban", "search")
PREFERENCES = "Green tea, never calls before 10:00"
FORCED_REASON = "Board decision: strategic rail account"


def defining_module(env, field):
    """The module whose class declares ``field`` first (delegated fields of
    res.users are res.partner's)."""
    field = field.base_field
    for cls in reversed(type(env[field.model_name]).__mro__):
        if isinstance(vars(cls).get(field.name), fields.Field):
            module = getattr(cls, "_module", None)
            if module:
                return module
    return None


def addon_fields(env, model_name):
    """Names of the fields the addon adds to ``model_name``."""
    model = env[model_name]
    return sorted(
        name
        for name, field in model._fields.items()
        if ADDON in field.base_field._modules and defining_module(env, field) == ADDON
    )


def shared_models(env):
    """Models of other modules that the addon adds fields to."""
    return sorted(
        name
        for name, model in env.registry.items()
        if model._original_module != ADDON
        and not model._abstract
        and addon_fields(env, name)
    )


class ReadableFieldsMixin:
    def _readable_fields(self, records):
        """The fields ``read()`` without a field list reads for the records'
        user, less the core fields this user may not read anyway: with
        ``account`` installed a partner's ``invoice_ids`` or
        ``bank_account_count`` need accounting or bank rights, and a bare
        ``read()`` fails on them with or without this addon. None of the
        addon's fields may be among those."""
        readable = []
        for name in records.check_field_access_rights("read", None):
            try:
                records.read([name])
            except AccessError:
                module = defining_module(self.env, records._fields[name])
                self.assertNotEqual(module, ADDON, f"{records._name}.{name}")
                continue
            finally:
                records.invalidate_recordset()
            readable.append(name)
        return readable


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestPartnerPrivacy(ReadableFieldsMixin, LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        big, mid, cls.customer = cls._customers(3, prefix="Privacy Shipper")
        for partner, amount in ((big, 50000.0), (mid, 20000.0), (cls.customer, 900.0)):
            cls._invoice(partner, amount, "2026-06-01")
        cls.service = cls.env["logistics.service.type"].create(
            {"name": "Privacy Rail", "code": "P-RAIL"}
        )
        cls.customer.write(
            {
                "customer_size": "large",
                "customer_nature": "shipper",
                "service_type_ids": [Command.set(cls.service.ids)],
                "commodities": "Auto parts on pallets",
                "annual_shipment_estimate": 1200,
                "annual_tonnage_estimate": 3400.5,
                "preferred_contact_channel": "phone",
                "preferred_contact_time": "after 14:00",
                "order_interval_days": 14,
                "payment_day": 25,
                "key_account_manager_id": cls.rep.id,
                "backup_manager_id": cls.manager.id,
                "executive_sponsor_id": cls.manager.id,
                "lane_ids": [
                    Command.create({"origin": "Tianjin", "destination": "Moscow"})
                ],
            }
        )
        cls.person = Partner.create(
            {
                "name": "Wang Fang",
                "parent_id": cls.customer.id,
                "email": "wang.fang@privacy-shipper.example.com",
                "communication_style": "warm_outgoing",
                "birthday": "1980-03-14",
                "preference_notes": PREFERENCES,
            }
        )
        cls.policy._recompute_tiers()
        wizard = (
            cls.env["logistics.tier.force.wizard"]
            .with_user(cls.manager)
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "forced_tier": "A",
                    "reason": FORCED_REASON,
                }
            )
        )
        wizard.action_apply()
        cls.ticket = (
            cls.env["logistics.ticket"]
            .with_company(cls.company)
            .create(
                {
                    "name": "Crushed pallet in Moscow",
                    "partner_id": cls.person.id,
                    "company_id": cls.company.id,
                    "type_id": cls.env.ref(
                        "logistics_crm.logistics_ticket_type_complaint"
                    ).id,
                }
            )
        )
        cls.visit = (
            cls.env["logistics.visit"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.rep.id,
                    "company_id": cls.company.id,
                    "date": "2026-11-20 09:00:00",
                    "purpose": "Quarterly review",
                }
            )
        )
        in_company = {
            "company_id": cls.company.id,
            "company_ids": [Command.set(cls.company.ids)],
        }
        cls.portal = new_test_user(
            cls.env,
            login="lcrm_privacy_portal",
            groups="base.group_portal",
            **in_company,
        )
        cls.portal.partner_id.parent_id = cls.customer
        cls.employee = new_test_user(
            cls.env,
            login="lcrm_privacy_employee",
            groups="base.group_user",
            **in_company,
        )
        cls.contact_editor = new_test_user(
            cls.env,
            login="lcrm_privacy_contacts",
            groups="base.group_user,base.group_partner_manager",
            **in_company,
        )
        cls.outsiders = (cls.portal, cls.employee, cls.contact_editor)
        cls.everyone = cls.outsiders + (cls.rep, cls.manager)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _as(self, records, user):
        return records.with_user(user).with_company(self.company)

    def _partners(self):
        return self.customer | self.person | self.portal.partner_id

    def _cold_cache(self):
        """As in a new request: nothing read as superuser is in the cache (a
        cached value is not checked against the field's groups again)."""
        self.env.flush_all()
        self.env.invalidate_all()

    def _may_read_comodel(self, records, name):
        """Whether the records' user may read what the field links to: Odoo
        19.0's ``properties_base_definition_id`` links to administrators'
        records, and exporting it fails with or without this addon."""
        comodel = records._fields[name].comodel_name
        return not comodel or records.env[comodel].has_access("read")

    def _readable_record(self, model_name, user):
        """A record of ``model_name`` that ``user`` may read, None for models
        without one (settings)."""
        return {
            "res.partner": self.portal.partner_id,
            "res.users": user,
            "res.company": self.company,
        }.get(model_name)

    # ------------------------------------------------------------------
    # Discovery
    # ------------------------------------------------------------------
    def test_discovery_finds_the_addon_fields(self):
        partner_fields = addon_fields(self.env, "res.partner")
        for name in (
            "communication_style",
            "birthday",
            "preference_notes",
            "tier",
            "tier_value",
            "forced_tier_reason",
            "key_account_manager_id",
            "lifecycle_stage",
            "expected_next_order_date",
            "visit_count",
            "ticket_count",
            "lane_ids",
            "credit_code",
            "logistics_name_key",
            "logistics_phone_key",
        ):
            self.assertIn(name, partner_fields)
        self.assertNotIn("name", partner_fields)
        self.assertNotIn("email", partner_fields)
        # Odoo's own record of the modules behind each field agrees
        described = self.env["ir.model.fields"].search([("model", "=", "res.partner")])
        by_odoo = {f.name for f in described if ADDON in f.modules.split(", ")}
        self.assertLessEqual(set(partner_fields), by_odoo)
        self.assertLessEqual(
            {"res.partner", "res.users", "res.company", "res.config.settings"},
            set(shared_models(self.env)),
        )

    def test_every_addon_field_on_shared_models_has_groups(self):
        for model_name in shared_models(self.env):
            Model = self.env[model_name]
            for name in addon_fields(self.env, model_name):
                with self.subTest(model=model_name, field=name):
                    self.assertTrue(
                        Model._fields[name].groups,
                        f"{model_name}.{name} must carry groups=",
                    )

    # ------------------------------------------------------------------
    # Customers and plain employees
    # ------------------------------------------------------------------
    def test_outsiders_cannot_read_addon_fields(self):
        for user in self.outsiders:
            for model_name in shared_models(self.env):
                names = addon_fields(self.env, model_name)
                Model = self._as(self.env[model_name], user)
                with self.subTest(user=user.login, model=model_name):
                    self.assertFalse(set(Model.fields_get()) & set(names))
                record = self._readable_record(model_name, user)
                for name in names:
                    with self.subTest(user=user.login, model=model_name, field=name):
                        with self.assertRaises(AccessError):
                            Model.check_field_access_rights("read", [name])
                        if record is not None:
                            with self.assertRaises(AccessError):
                                self._as(record, user).read([name])
                with self.subTest(user=user.login, model=model_name):
                    # what read() reads when no field list is given
                    default = Model.check_field_access_rights("read", None)
                    self.assertFalse(set(default) & set(names))
                    # users read some fields of their own as superuser, and
                    # mixing those with others fails: read another user's
                    if model_name == "res.users":
                        record = None if user.share else self.rep
                    if record is not None:
                        record = self._as(record, user)
                        values = record.read(self._readable_fields(record))[0]
                        self.assertFalse(set(values) & set(names))

    def test_outsiders_cannot_read_or_search_the_customer_profile(self):
        for user in self.outsiders:
            customer = self._as(self.customer, user)
            for name in ("tier", "tier_value", "key_account_manager_id"):
                with self.subTest(user=user.login, field=name):
                    with self.assertRaises(AccessError):
                        customer.read([name])
            person = self._as(self.person, user)
            for name in ("birthday", "preference_notes", "communication_style"):
                with self.subTest(user=user.login, field=name):
                    with self.assertRaises(AccessError):
                        person.read([name])
            with self.subTest(user=user.login, search="tier"):
                with self.assertRaises(AccessError):
                    self._as(self.env["res.partner"], user).search([("tier", "=", "A")])

    def test_outsiders_cannot_read_lanes_directly(self):
        for user in self.outsiders:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._as(self.env["logistics.partner.lane"], user).search_read(
                        [("partner_id", "=", self.customer.id)]
                    )

    # ------------------------------------------------------------------
    # Reps and managers
    # ------------------------------------------------------------------
    def test_reps_and_managers_read_every_addon_field(self):
        names = addon_fields(self.env, "res.partner")
        for user in (self.rep, self.manager):
            with self.subTest(user=user.login):
                self.assertLessEqual(
                    set(names),
                    set(self._as(self.env["res.partner"], user).fields_get()),
                )
                customer, person = self._as(self.customer | self.person, user).read(
                    names
                )
                self.assertEqual(customer["tier"], "A")
                self.assertEqual(customer["computed_tier"], "C")
                self.assertTrue(customer["tier_override_differs"])
                self.assertEqual(customer["forced_tier_reason"], FORCED_REASON)
                self.assertEqual(customer["tier_value"], 900.0)
                self.assertEqual(customer["key_account_manager_id"][0], self.rep.id)
                self.assertEqual(customer["lifecycle_stage"], "at_risk")
                self.assertEqual(customer["ticket_count"], 1)
                self.assertEqual(customer["complaint_count"], 1)
                self.assertGreaterEqual(customer["visit_count"], 1)
                self.assertEqual(len(customer["lane_ids"]), 1)
                self.assertTrue(customer["customer_tier_ids"])
                self.assertTrue(customer["tier_history_ids"])
                self.assertEqual(person["communication_style"], "warm_outgoing")
                self.assertEqual(person["birthday"], fields.Date.to_date("1980-03-14"))
                self.assertEqual(person["preference_notes"], PREFERENCES)
                self.assertEqual(person["key_account_manager_id"][0], self.rep.id)
                self.assertEqual(person["tier"], "A", "contacts show their company's")

    def test_reps_and_managers_read_addon_fields_of_other_shared_models(self):
        for user in (self.rep, self.manager):
            for model_name in ("res.users", "res.company"):
                Model = self.env[model_name]
                # fields for the addon's users (others may be for admins only)
                names = [
                    name
                    for name in addon_fields(self.env, model_name)
                    if CRM_USER in Model._fields[name].groups.split(",")
                ]
                self.assertTrue(names)
                record = self._as(self._readable_record(model_name, user), user)
                with self.subTest(user=user.login, model=model_name):
                    self.assertEqual(set(record.read(names)[0]) - {"id"}, set(names))
        self.assertEqual(
            self._as(self.company, self.rep).logistics_tier_policy_id, self.policy
        )
        settings_fields = addon_fields(self.env, "res.config.settings")
        Settings = self._as(self.env["res.config.settings"], self.manager)
        self.assertLessEqual(set(settings_fields), set(Settings.fields_get()))

    # ------------------------------------------------------------------
    # What everyone does with partners keeps working
    # ------------------------------------------------------------------
    def test_read_search_read_and_export_all(self):
        names = set(addon_fields(self.env, "res.partner"))
        allow_export = self.env.ref("base.group_allow_export")
        for user in self.everyone:
            Partner = self._as(self.env["res.partner"], user)
            partners = self._as(self._partners(), user)
            visible = self._readable_fields(partners)
            if user.has_group(CRM_USER):
                self.assertLessEqual(names, set(visible))
            else:
                self.assertFalse(names & set(visible))
            with self.subTest(user=user.login, call="read"):
                rows = partners.read(visible)
                self.assertEqual(len(rows), 3)
                self.assertEqual(set(rows[0]) - {"id"}, set(visible) - {"id"})
            with self.subTest(user=user.login, call="search_read"):
                rows = Partner.search_read([("id", "in", partners.ids)], visible)
                self.assertEqual(len(rows), 3)
            with self.subTest(user=user.login, call="web_search_read"):
                spec = {name: {} for name in ("display_name", "email", "phone")}
                result = Partner.web_search_read([("id", "in", partners.ids)], spec)
                self.assertEqual(result["length"], 3)
            with self.subTest(user=user.login, call="name_search"):
                found = Partner.name_search("Privacy Shipper")
                self.assertIn(self.customer.id, [pid for pid, _name in found])
            if user.share:
                continue  # Odoo gives customers no export
            # "export all": every exportable field the user is shown
            user[GROUPS_FIELD] |= allow_export
            described = Partner.fields_get(attributes=["exportable"])
            exportable = [
                name
                for name in visible
                if name in described
                and described[name].get("exportable", True)
                and self._may_read_comodel(Partner, name)
            ]
            with self.subTest(user=user.login, call="export_data"):
                rows = partners.export_data(exportable)["datas"]
                self.assertGreaterEqual(len(rows), 3)

    def test_partner_views_load_for_everyone(self):
        names = set(addon_fields(self.env, "res.partner"))
        for user in self.everyone:
            with self.subTest(user=user.login):
                result = self._as(self.env["res.partner"], user).get_views(
                    [(False, view_type) for view_type in PARTNER_VIEW_TYPES]
                )
                view_fields = set(result["models"]["res.partner"]["fields"])
                used = set()
                for view_type in PARTNER_VIEW_TYPES:
                    arch = etree.fromstring(result["views"][view_type]["arch"])
                    used |= {node.get("name") for node in arch.iter("field")}
                if user.has_group(CRM_USER):
                    self.assertIn("tier", view_fields)
                    self.assertIn("tier", used)
                else:
                    self.assertFalse(view_fields & names)
                    self.assertFalse(used & names)

    def test_outsiders_open_the_customer_form(self):
        outsiders = self.outsiders
        if ODOO_19:
            # 19.0 reads many2many fields through a search of the comodel: a
            # portal user, who may not read partner tags, cannot open Odoo's
            # partner form at all, with or without this addon
            outsiders = tuple(user for user in outsiders if not user.share)
        for user in outsiders:
            self._cold_cache()
            with self.subTest(user=user.login):
                form = Form(self._as(self.customer, user))
                self.assertEqual(form.name, self.customer.name)
                self.assertNotIn("tier", form._view["fields"])

    def test_contact_editor_creates_and_edits_partners(self):
        editor = self.contact_editor
        Partner = self._as(self.env["res.partner"], editor)
        self._cold_cache()
        with Form(self._as(self.customer, editor)) as form:
            form.phone = "+86 22 5555 0101"
        self.assertEqual(self.customer.phone, "+86 22 5555 0101")
        self._cold_cache()
        self._as(self.person, editor).write({MOBILE_FIELD: "+86 138 0000 0000"})
        self._cold_cache()
        with Form(Partner) as form:
            form.name = "Li Lei"
            form.parent_id = self.customer
            form.email = "li.lei@privacy-shipper.example.com"
        # the commercial fields still follow the company, written by the ORM
        self.assertEqual(form.record.sudo().key_account_manager_id, self.rep)
        self.assertEqual(form.record.sudo().customer_size, "large")
        self._cold_cache()
        with Form(self._as(self.customer, editor)) as form:
            with form.child_ids.new() as child:
                child.name = "Zhao Lei"
                child.email = "zhao.lei@privacy-shipper.example.com"
        child = self.customer.child_ids.filtered(lambda c: c.name == "Zhao Lei")
        self.assertEqual(child.key_account_manager_id, self.rep)
        self._cold_cache()
        company = Partner.create({"name": "Brand New Freight", "is_company": True})
        loose = Partner.create({"name": "Zhou Min"})
        self._cold_cache()
        loose.write({"parent_id": self.customer.id, "phone": "+86 10 1234 5678"})
        self.assertEqual(loose.sudo().key_account_manager_id, self.rep)
        self._cold_cache()
        loose.write({"parent_id": company.id})
        self.assertFalse(loose.sudo().key_account_manager_id)
        self._cold_cache()
        company.write({"phone": "+86 21 0000 0000"})
        self.assertFalse(company.sudo().key_account_manager_id)

    def test_plain_employee_cannot_write_addon_fields(self):
        for user in self.outsiders:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._as(self.customer, user).write({"customer_size": "small"})
        with self.assertRaises(AccessError):
            self._as(self.customer, self.contact_editor).action_mark_profile_verified()
        self.assertEqual(self.customer.customer_size, "large")

    def test_portal_user_works_on_the_ticket(self):
        self._cold_cache()
        ticket = self._as(self.ticket, self.portal)
        self.assertEqual(ticket.read(["name"])[0]["name"], "Crushed pallet in Moscow")
        self.assertNotIn("key_account_manager_id", ticket.read()[0])
        ticket.message_post(
            body="Photos of the pallet follow.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(self.rep.partner_id, self.ticket.message_partner_ids)

    def test_settings_without_the_addon_group(self):
        admin = new_test_user(
            self.env,
            login="lcrm_privacy_admin",
            groups="base.group_user,base.group_system",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        Settings = self._as(self.env["res.config.settings"], admin)
        self.assertFalse(
            set(Settings.fields_get()) & set(addon_fields(self.env, Settings._name))
        )
        arch = Settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("logistics_tier_metric", arch)
        Form(Settings).save().execute()


@tagged("post_install", "-at_install")
class TestPartnerPrivacyPortal(NoReadWriteRetryMixin, ReadableFieldsMixin, HttpCase):
    """The customer's own portal pages work, and JSON-RPC reads are refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam = new_test_user(
            cls.env,
            login="lcrm_privacy_kam",
            name="Kam Kelly",
            groups=f"base.group_user,{CRM_USER}",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Portal Privacy Freight",
                "is_company": True,
                "customer_size": "large",
                "commodities": "Lithium batteries",
            }
        )
        cls.env["logistics.customer.tier"].sudo().create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.env.company.id,
                "computed_tier": "C",
                "forced_tier": "A",
                "forced_reason": FORCED_REASON,
            }
        )
        cls.customer.key_account_manager_id = cls.kam
        cls.portal = new_test_user(
            cls.env, login="lcrm_privacy_web", groups="base.group_portal"
        )
        cls.portal.partner_id.write(
            {
                "parent_id": cls.customer.id,
                "street": "1 Harbour Road",
                "city": "Tianjin",
                "country_id": cls.env.ref("base.cn").id,
                "phone": "+86 22 1111 1111",
                "preference_notes": PREFERENCES,
                "communication_style": "stubborn",
            }
        )
        cls.ticket = cls.env["logistics.ticket"].create(
            {"name": "Missing carton", "partner_id": cls.portal.partner_id.id}
        )

    def setUp(self):
        super().setUp()
        self.authenticate(self.portal.login, "lcrm_privacy_web")

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_pages(self):
        # the list's address is the ticket's, without the id
        ticket_url = self.ticket.access_url
        for url in ("/my", "/my/home", "/my/account", ticket_url.rsplit("/", 1)[0]):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                for secret in (PREFERENCES, FORCED_REASON, "Lithium batteries"):
                    self.assertNotIn(secret, response.text)
        response = self.url_open(ticket_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Missing carton", response.text)
        self.assertNotIn("Kam Kelly", response.text)

    def test_portal_edits_own_details(self):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "name": self.portal.partner_id.name,
            "email": self.portal.partner_id.email,
            "phone": "+86 22 2222 2222",
            "street": "2 Harbour Road",
            "city": "Tianjin",
            "country_id": str(self.env.ref("base.cn").id),
        }
        if ODOO_19:
            # 19.0's details form posts to the address route, which answers
            # with the page to go to next (18.0: /my/account, redirecting)
            data["partner_id"] = str(self.portal.partner_id.id)
            data["zip"] = "300000"  # required there (18.0 names it zipcode)
            data["use_delivery_as_billing"] = "true"
            response = self.url_open("/my/address/submit", data=data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("redirectUrl", response.json())
        else:
            response = self.url_open("/my/account", data=data, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
        partner = self.portal.partner_id
        self.assertEqual(partner.phone, "+86 22 2222 2222")
        self.assertEqual(partner.preference_notes, PREFERENCES, "left alone")
        self.assertEqual(partner.key_account_manager_id, self.kam)

    def test_json_rpc_reads_are_refused(self):
        own = self.portal.partner_id.id
        for model, record_id in (
            ("res.partner", own),
            ("res.partner", self.customer.id),
            ("res.users", self.portal.id),
        ):
            for name in ("tier", "forced_tier_reason", "key_account_manager_id"):
                with self.subTest(model=model, field=name):
                    with self.assertRaises(JsonRpcException) as caught:
                        self._call_kw(model, "read", [[record_id], [name]])
                    self.assertEqual(
                        caught.exception.args[0], "odoo.exceptions.AccessError"
                    )
        names = set(addon_fields(self.env, "res.partner"))
        # what read() reads when it is given no field list
        default = self._call_kw(
            "res.partner", "check_field_access_rights", ["read", None]
        )
        self.assertFalse(set(default) & names)
        self.assertIn("name", default)
        # less core's fields a customer may not read (bank accounts, invoices)
        readable = self._readable_fields(self.portal.partner_id.with_user(self.portal))
        values = self._call_kw("res.partner", "read", [[own], readable])[0]
        self.assertFalse(set(values) & names)
        self.assertNotIn(PREFERENCES, str(values))
        described = self._call_kw("res.partner", "fields_get", [])
        self.assertFalse(set(described) & names)
