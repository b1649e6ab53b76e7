"""What a form or wizard refuses, the model refuses: through write, create and
load() (imports, JSON-RPC, server actions), as a manager who may write the
record."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import ODOO_19

from .common import LogisticsCrmCase

WRITE, CREATE, LOAD = "write", "create", "load"
ALL = (WRITE, CREATE, LOAD)
# fields given at creation (or only wrong on an existing record): no create row
UPDATE = (WRITE, LOAD)

ACCOUNT = "logistics.customer.tier"
POLICY = "logistics.tier.policy"
GRADE = "logistics.customer.grade"
POOL = "logistics.tier.policy.manager"
SLA = "logistics.sla.policy"
TEAM = "logistics.ticket.team"
PARTNER = "res.partner"
LANE = "logistics.partner.lane"
VISIT = "logistics.visit"
VOLUME = "logistics.volume"
FREE_MAIL = "logistics.free.mail.domain"
TICKET = "logistics.ticket"
COMPANY = "res.company"

REASON = {"forced_reason": "Strategic contract"}

# The guarded fields of every model, one bad value each:
# (model, fixture written on, field, bad value, values written with it, operations).
# A value given as a callable receives the test case (records of setUpClass).
GUARDED_FIELDS = [
    # a customer account: the grade forced must be one of its company's
    (ACCOUNT, "account", "forced_tier", "Z", REASON, ALL),
    (ACCOUNT, "account", "forced_tier", "S", REASON, ALL),  # another company's
    (ACCOUNT, "account", "forced_tier", "A", {}, ALL),  # no reason
    # lost only with a reason and a churn date, never in the future
    (ACCOUNT, "account", "is_lost", True, {}, ALL),
    (ACCOUNT, "account", "churn_date", "2999-01-01", {}, ALL),
    (ACCOUNT, "account", "win_back_status", "trying", {}, ALL),
    (ACCOUNT, "lost_account", "win_back_status", "won_back", {}, UPDATE),
    (ACCOUNT, "account", "computed_tier", "Z", {}, ALL),
    (ACCOUNT, "account", "computed_tier", "S", {}, ALL),
    # what the recompute and the override/churn actions write, nobody else
    (ACCOUNT, "account", "tier", "A", {}, ALL),
    (ACCOUNT, "account", "override_differs", True, {}, ALL),
    (ACCOUNT, "account", "previous_tier", "B", {}, ALL),
    (ACCOUNT, "account", "tier_changed_date", "2026-01-01 08:00:00", {}, ALL),
    (ACCOUNT, "account", "forced_by_id", lambda t: t.manager.id, {}, ALL),
    (ACCOUNT, "account", "forced_date", "2026-01-01 08:00:00", {}, ALL),
    (ACCOUNT, "account", "churn_tier", "A", {}, ALL),
    (ACCOUNT, "account", "won_back_date", "2026-01-01", {}, ALL),
    # the customer pool: only claim, assign, return and the nightly job
    (ACCOUNT, "account", "owner_id", lambda t: t.manager.id, {}, ALL),
    (ACCOUNT, "account", "owner_since", "2026-01-01 08:00:00", {}, ALL),
    (ACCOUNT, "account", "pool_date", "2026-01-01 08:00:00", {}, ALL),
    (ACCOUNT, "account", "pool_reason", "unattended", {}, ALL),
    (ACCOUNT, "account", "previous_owner_id", lambda t: t.manager.id, {}, ALL),
    (ACCOUNT, "account", "claim_blocked_until", "2026-01-01", {}, ALL),
    (ACCOUNT, "account", "last_followup_date", "2026-01-01", {}, ALL),
    (ACCOUNT, "account", "pool_warned_date", "2026-01-01", {}, ALL),
    (POLICY, "policy", "pool_daily_limit", -1, {}, ALL),
    (POLICY, "policy", "pool_owned_limit", -1, {}, ALL),
    (POLICY, "policy", "pool_block_days", -1, {}, ALL),
    (GRADE, "grade", "pool_daily_limit", -1, {}, ALL),
    (GRADE, "grade", "pool_owned_limit", -1, {}, ALL),
    (ACCOUNT, "account", "partner_id", lambda t: t.other_customer.id, {}, UPDATE),
    (ACCOUNT, "account", "company_id", lambda t: t.other_company.id, {}, UPDATE),
    (ACCOUNT, "account", "key_account_manager_id", lambda t: t.portal.id, {}, ALL),
    # a hand-set next order comes after the last one
    (
        ACCOUNT,
        "account",
        "expected_next_order_manual_date",
        "2026-01-01",
        {"last_order_date": "2026-02-01"},
        ALL,
    ),
    # the tier policy's settings
    (POLICY, "policy", "period_months", 0, {}, ALL),
    (POLICY, "policy", "weight_invoice_revenue", -1.0, {}, ALL),
    (POLICY, "policy", "at_risk_drop_percent", -1.0, {}, ALL),
    (POLICY, "policy", "at_risk_drop_percent", 101.0, {}, ALL),
    (POLICY, "policy", "rising_star_growth_percent", -1.0, {}, ALL),
    (POLICY, "policy", "complaint_followup_days", -1, {}, ALL),
    (POLICY, "policy", "lifecycle_new_months", 0, {}, ALL),
    (POLICY, "policy", "lifecycle_at_risk_months", 24, {}, ALL),
    (POLICY, "policy", "lifecycle_lapsed_months", 0, {}, ALL),
    (POLICY, "policy", "visit_planned_hour", 24.0, {}, ALL),
    (POLICY, "policy", "proactive_notice_days", -1, {}, ALL),
    (POLICY, "policy", "reengage_months", 0, {}, ALL),
    (POLICY, "policy", "birthday_notice_days", -1, {}, ALL),
    (POLICY, "policy", "planner_activities_per_user", -1, {}, ALL),
    (POLICY, "policy", "survey_daily_limit", -1, {}, ALL),
    (POLICY, "policy", "health_weight_trend", -1.0, {}, ALL),
    (POLICY, "policy", "health_watch_below", 101.0, {}, ALL),
    (POLICY, "policy", "health_at_risk_below", 0.0, {}, ALL),
    (POLICY, "policy", "health_alert_drop_points", -10.0, {}, ALL),
    (POLICY, "policy", "health_alert_drop_points", 101.0, {}, ALL),
    (POLICY, "policy", "volume_band_medium_tonnes", 0.0, {}, ALL),
    (POLICY, "policy", "frequency_heavy_days", 0, {}, ALL),
    # its grades and its pool of key-account managers
    (GRADE, "grade", "share_percent", 0.0, {}, ALL),
    (GRADE, "grade", "visit_interval_days", -1, {}, ALL),
    (GRADE, "grade", "executive_visit_interval_days", -1, {}, ALL),
    (GRADE, "grade", "account_load_weight", -1, {}, ALL),
    (GRADE, "grade", "survey_interval_months", -1, {}, ALL),
    (POOL, "pool_member", "capacity", -1, {}, ALL),
    (POOL, "pool_member", "user_id", lambda t: t.portal.id, {}, ALL),
    # SLA policies and customer commitments
    (SLA, "sla", "response_hours", -1.0, {}, ALL),
    (SLA, "sla", "resolution_hours", -1.0, {}, ALL),
    (SLA, "sla", "at_risk_percent", 101.0, {}, ALL),
    (SLA, "sla", "tier", "S", {}, ALL),
    (SLA, "sla", "date_end", "2026-01-01", {"date_start": "2026-02-01"}, ALL),
    (SLA, "sla", "partner_id", lambda t: t.contact.id, {}, ALL),
    (TEAM, "team", "waiting_reminder_days", -1, {}, ALL),
    (TEAM, "team", "waiting_close_days", -1, {}, ALL),
    # customer profiles
    (PARTNER, "customer", "order_interval_days", -1, {}, ALL),
    (PARTNER, "customer", "payment_day", 32, {}, ALL),
    (PARTNER, "customer", "annual_shipment_estimate", -1, {}, ALL),
    (PARTNER, "customer", "annual_tonnage_estimate", -1.0, {}, ALL),
    (LANE, "lane", "annual_shipment_estimate", -1, {}, ALL),
    (VISIT, "visit", "duration", -1.0, {}, ALL),
    (VOLUME, "volume", "shipment_count", -1, {}, ALL),
    (FREE_MAIL, "free_mail", "name", "not a domain", {}, ALL),
    # a claim's settlement moves with its buttons only
    (TICKET, "ticket", "claim_state", "approved", {}, ALL),
    (TICKET, "ticket", "settled_amount", -1.0, {}, ALL),
    # settings (the company's, written by a settings administrator)
    (COMPANY, "company", "logistics_claim_approval_limit", -1.0, {}, UPDATE),
]


@tagged("post_install", "-at_install")
class TestModelRules(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Rules Rail Co"})
        cls.spare_company = cls.env["res.company"].create({"name": "Rules Spare Co"})
        Policy = cls.env["logistics.tier.policy"]
        cls.policy = Policy._get_company_policy(cls.company)
        # a grade only the other company has
        other_policy = Policy._get_company_policy(cls.other_company)
        cls.env["logistics.customer.grade"].create(
            {
                "policy_id": other_policy.id,
                "code": "S",
                "name": "S – Strategic",
                "sequence": 1,
                "share_percent": 1.0,
            }
        )
        # a company without a policy: where a manager creates one
        cls.spare_company.logistics_tier_policy_id.unlink()
        companies = cls.company | cls.other_company | cls.spare_company
        cls.manager.write({"company_ids": [Command.set(companies.ids)]})
        cls.admin = new_test_user(
            cls.env,
            login="lcrm_rules_admin",
            groups="base.group_system,logistics_crm.group_logistics_crm_manager",
            company_ids=[Command.set(companies.ids)],
        )
        cls.portal = new_test_user(
            cls.env, login="lcrm_rules_portal", groups="base.group_portal"
        )
        Account = cls.env["logistics.customer.tier"]
        cls.account = Account._account_rows(cls.customer, cls.company, create=True)[
            cls.customer.id
        ]
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Rules Other Shipper", "is_company": True}
        )
        lost = cls.env["res.partner"].create(
            {"name": "Rules Lost Shipper", "is_company": True}
        )
        cls.lost_account = Account._account_rows(lost, cls.company, create=True)[
            lost.id
        ]
        cls.lost_account._mark_lost(
            cls.env.ref("logistics_crm.logistics_churn_reason_price"),
            fields.Date.today() - timedelta(days=30),
        )
        cls.grade = cls.policy.grade_ids.sorted("sequence")[0]
        cls.pool_member = cls.env["logistics.tier.policy.manager"].create(
            {"policy_id": cls.policy.id, "user_id": cls.rep.id}
        )
        cls.sla = cls.env["logistics.sla.policy"].create(
            {"name": "Rules Standard", "response_hours": 4, "active": False}
        )
        cls.team = cls.env["logistics.ticket.team"].create({"name": "Rules Desk"})
        cls.lane = cls.env["logistics.partner.lane"].create(
            {
                "partner_id": cls.customer.id,
                "origin": "Shanghai",
                "destination": "Hamburg",
            }
        )
        cls.visit = cls.env["logistics.visit"].create(
            {"partner_id": cls.customer.id, "user_id": cls.rep.id}
        )
        cls.volume = cls.env["logistics.volume"].create(
            {
                "partner_id": cls.customer.id,
                "date": "2026-01-01",
                "shipment_count": 3,
            }
        )
        cls.free_mail = cls.env["logistics.free.mail.domain"].create(
            {"name": "rules-mail.example.com"}
        )
        cls.ticket = cls.env["logistics.ticket"].create(
            {
                "name": "Rules: crushed pallet",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
            }
        )

    # -- what a new record of each model needs -----------------------------

    def _create_values(self, model):
        if model == ACCOUNT:
            partner = self.env["res.partner"].create(
                {"name": "Rules New Shipper", "is_company": True}
            )
            return {"partner_id": partner.id, "company_id": self.company.id}
        return {
            POLICY: {"company_id": self.spare_company.id},
            GRADE: {
                "policy_id": self.policy.id,
                "code": "N",
                "name": "N – New",
                "sequence": 1,
                "share_percent": 1.0,
            },
            POOL: {"policy_id": self.policy.id, "user_id": self.employee.id},
            SLA: {"name": "Rules New SLA"},
            TEAM: {"name": "Rules New Desk"},
            PARTNER: {"name": "Rules New Profile", "is_company": True},
            LANE: {
                "partner_id": self.customer.id,
                "origin": "Ningbo",
                "destination": "Rotterdam",
            },
            VISIT: {"partner_id": self.customer.id, "user_id": self.rep.id},
            VOLUME: {"partner_id": self.customer.id, "date": "2026-02-01"},
            FREE_MAIL: {},
            TICKET: {"name": "Rules: new claim", "partner_id": self.customer.id},
        }[model]

    def _user(self, model):
        return self.admin if model == COMPANY else self.manager

    def _env(self, model):
        companies = self.company | self.other_company | self.spare_company
        # archived records too: load() finds its rows with a search
        context = dict(
            self.env.context, allowed_company_ids=companies.ids, active_test=False
        )
        return self.env(user=self._user(model), context=context)[model]

    def _value(self, value):
        return value(self) if callable(value) else value

    def _stored(self, record, names):
        """The values in the database (the caches dropped)."""
        record.invalidate_recordset()
        return record.sudo().read(names)[0]

    @staticmethod
    def _import_cell(field, value):
        if field.type == "boolean":
            return "1" if value else "0"
        return str(value)

    def _check_row(self, model, fixture, name, bad, extra, operations):
        record = getattr(self, fixture)
        vals = {name: self._value(bad), **extra}
        before = self._stored(record, list(vals))
        Model = self._env(model)
        label = f"{model}.{name} = {vals[name]!r}"
        message = None
        if WRITE in operations:
            with self.subTest(label, operation=WRITE):
                with self.assertRaises(ValidationError) as caught:
                    Model.browse(record.id).write(vals)
                message = caught.exception.args[0]
                self.assertTrue(message.strip())
                self.assertEqual(self._stored(record, list(vals)), before)
        if CREATE in operations:
            with self.subTest(label, operation=CREATE):
                create_vals = {**self._create_values(model), **vals}
                count = Model.sudo().with_context(active_test=False).search_count([])
                with self.assertRaises(ValidationError):
                    Model.create(create_vals)
                self.assertEqual(
                    Model.sudo().with_context(active_test=False).search_count([]),
                    count,
                )
        if LOAD in operations:
            with self.subTest(label, operation=LOAD):
                columns, row = [".id"], [str(record.id)]
                for field_name, value in vals.items():
                    field = Model._fields[field_name]
                    many2one = field.type == "many2one"
                    columns.append(f"{field_name}/.id" if many2one else field_name)
                    row.append(self._import_cell(field, value))
                result = Model.load(columns, [row])
                self.assertFalse(result["ids"])
                errors = [m for m in result["messages"] if m["type"] == "error"]
                self.assertTrue(errors, "the import reports why")
                for error in errors:
                    # the rule's own message, or the converter's on the field
                    self.assertTrue(
                        error["message"] == message or error.get("field") == name,
                        error,
                    )
                self.assertEqual(self._stored(record, list(vals)), before)

    # -- the tests -----------------------------------------------------------

    def test_every_guarded_field_is_refused(self):
        for model, fixture, name, bad, extra, operations in GUARDED_FIELDS:
            self._check_row(model, fixture, name, bad, extra, operations)

    def test_the_table_lists_every_method_only_field(self):
        Account = self.env["logistics.customer.tier"]
        listed = {
            name for model, _f, name, *_rest in GUARDED_FIELDS if model == ACCOUNT
        }
        self.assertFalse(set(Account._method_only_fields()) - listed)

    def test_good_values_still_pass(self):
        """The rules refuse what is wrong, not the fields: a manager forces a
        grade of the company with a reason, an import records a churn with its
        reason and date, and the policy takes sound settings."""
        Account = self._env(ACCOUNT)
        account = Account.browse(self.account.id)
        account.write({"forced_tier": "B", "forced_reason": "Yearly contract"})
        self.assertEqual(self._stored(self.account, ["tier"])["tier"], "B")
        price = self.env.ref("logistics_crm.logistics_churn_reason_price")
        result = Account.load(
            [".id", "is_lost", "churn_date", "churn_reason_id/.id"],
            [[str(self.account.id), "1", "2026-01-10", str(price.id)]],
        )
        self.assertEqual(result["messages"], [])
        self.assertTrue(self._stored(self.account, ["is_lost"])["is_lost"])
        self._env(POLICY).browse(self.policy.id).write(
            {
                "health_alert_drop_points": 0.0,
                "at_risk_drop_percent": 100.0,
                "complaint_followup_days": 0,
                "reengage_months": 1,
            }
        )
        self._env(TICKET).browse(self.ticket.id).write({"settled_amount": 10.0})

    def test_the_actions_still_write_what_they_own(self):
        """Force Tier and the churn actions write the guarded fields."""
        account = self.account.with_user(self.manager)
        account._set_forced_tier("A", "Strategic contract")
        stored = self._stored(self.account, ["tier", "forced_by_id", "forced_date"])
        self.assertEqual(stored["tier"], "A")
        self.assertEqual(stored["forced_by_id"][0], self.manager.id)
        self.assertTrue(stored["forced_date"])
        self.lost_account._mark_won_back(fields.Date.today())
        stored = self._stored(self.lost_account, ["is_lost", "win_back_status"])
        self.assertEqual(
            (stored["is_lost"], stored["win_back_status"]), (False, "won_back")
        )

    def test_churn_date_is_the_users_or_the_companys_today(self):
        """At 02:00 in Shanghai a user without a time zone is still on the day
        before: a churn recorded on the company's date is no future one, the
        day after it is."""
        self.company.partner_id.tz = "Asia/Shanghai"
        self.manager.tz = False
        price = self.env.ref("logistics_crm.logistics_churn_reason_price")
        account = self.account.with_user(self.manager)
        with freeze_time("2026-02-28 18:00:00"):
            with self.assertRaises(ValidationError):
                account._mark_lost(price, date(2026, 3, 2))
            self.assertFalse(self._stored(self.account, ["is_lost"])["is_lost"])
            account._mark_lost(price, date(2026, 3, 1))
        self.assertEqual(
            self._stored(self.account, ["churn_date"])["churn_date"], date(2026, 3, 1)
        )


@tagged("post_install", "-at_install")
class TestLostSearch(LogisticsCrmCase):
    """is_lost is searched with = and != only (or a one-value in / not in, the
    form Odoo 19 gives them); another operator gets a clear message, not an
    error from the ORM's insides."""

    def test_lost_search_operators(self):
        account = self.env["logistics.customer.tier"]._account_rows(
            self.customer, self.company, create=True
        )[self.customer.id]
        account._mark_lost(
            self.env.ref("logistics_crm.logistics_churn_reason_price"),
            fields.Date.today(),
        )
        Partner = self.env["res.partner"].with_user(self.rep)
        self.assertIn(self.customer, Partner.search([("is_lost", "=", True)]))
        self.assertNotIn(self.customer, Partner.search([("is_lost", "!=", True)]))
        self.assertNotIn(self.customer, Partner.search([("is_lost", "=", False)]))
        self.assertIn(self.customer, Partner.search([("is_lost", "in", [True])]))
        self.assertNotIn(self.customer, Partner.search([("is_lost", "not in", [True])]))
        # 19.0: Odoo's domains refuse these on a boolean field before the field's
        # search method is asked, with their own message
        error, message = (
            (ValueError, "Cannot compare 'is_lost'")
            if ODOO_19
            else (UserError, "= or !=")
        )
        for operator, value in ((">", 0), ("ilike", "x")):
            with self.subTest(operator=operator):
                with self.assertRaisesRegex(error, message):
                    Partner.search([("is_lost", operator, value)])
