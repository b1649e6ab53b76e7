from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsTierCase

TODAY = date(2026, 11, 15)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestAccountHealth(LogisticsTierCase):
    """Health scores of ranked accounts: signals, status, history, one alert."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sound, cls.sick = cls._customers(2, prefix="Health", customer_rank=1)
        # sound: one invoice, due next month, nothing overdue
        cls._invoice(cls.sound, 5000.0, "2026-11-01", invoice_date_due="2026-12-01")
        # sick: five invoices past due, three visits past their date
        for day in range(1, 6):
            cls._invoice(
                cls.sick, 100.0, f"2026-09-0{day}", invoice_date_due="2026-10-01"
            )
        for day in (1, 2, 3):
            cls.env["logistics.visit"].create(
                {
                    "partner_id": cls.sick.id,
                    "user_id": cls.manager.id,
                    "date": datetime(2026, 11, day, 9, 0),
                    "company_id": cls.company.id,
                }
            )
        cls.policy._recompute_tiers()
        cls.Account = cls.env["logistics.customer.tier"]
        cls.Account._update_payment_behaviour(cls.policy, TODAY)

    def alerts(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_health_risk").id,
                ),
            ]
        )

    def test_scores_status_and_why(self):
        alerted = self.Account._update_health(self.policy, TODAY)
        sound = self.sound.with_company(self.company)
        sick = self.sick.with_company(self.company)
        self.assertEqual(sound.health_status, "healthy")
        self.assertEqual(sound.health_score, 100.0)
        self.assertEqual(sick.health_status, "at_risk")
        # why: the visits and the payments, each at 0
        self.assertEqual(sick.health_visits_score, 0.0)
        self.assertEqual(sick.health_payment_score, 0.0)
        self.assertEqual(alerted.partner_id, self.sick)
        activity = self.alerts(self.sick)
        self.assertEqual(len(activity), 1)
        self.assertIn("overdue visits", activity.summary)
        self.assertIn("late payment", activity.summary)
        # the history has one row per account, the next unchanged run adds none
        History = self.env["logistics.account.health"]
        self.assertEqual(
            History.search_count([("partner_id", "in", (self.sound | self.sick).ids)]),
            2,
        )
        views = History.get_views([(False, "graph"), (False, "list")])["views"]
        self.assertEqual(set(views), {"graph", "list"})
        self.Account._update_health(self.policy, TODAY)
        self.assertEqual(len(self.alerts(self.sick)), 1, "no second alert")
        self.assertEqual(
            History.search_count([("partner_id", "in", (self.sound | self.sick).ids)]),
            2,
        )
        # the overview counts it and opens it
        self.assertEqual(self.policy.dashboard_health_at_risk, 1)
        action = self.policy.with_context(
            dashboard="health", health="at_risk"
        ).action_open_dashboard()
        rows = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(rows.partner_id, self.sick)

    def test_recovery_rearms_the_alert(self):
        self.Account._update_health(self.policy, TODAY)
        self.alerts(self.sick).action_feedback(feedback="Called them")
        # visits done and invoices paid: healthy again
        for visit in self.env["logistics.visit"].search(
            [("partner_id", "=", self.sick.id)]
        ):
            visit.action_done()
        self.env["account.move"].search(
            [("partner_id", "=", self.sick.id), ("state", "=", "posted")]
        ).write({"invoice_date_due": "2026-12-31"})
        self.Account._update_payment_behaviour(self.policy, TODAY)
        self.Account._update_health(self.policy, TODAY)
        row = self._tier_row(self.sick)
        self.assertEqual(row.health_status, "healthy")
        self.assertFalse(row.health_alert_sent)
        self.assertEqual(len(row.health_history_ids), 2)

    def test_weights_and_thresholds_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "at least one must be above"):
            with self.env.cr.savepoint():
                self.policy.write(
                    {
                        "health_weight_trend": 0,
                        "health_weight_service": 0,
                        "health_weight_satisfaction": 0,
                        "health_weight_visits": 0,
                        "health_weight_payment": 0,
                        "health_weight_survey": 0,
                    }
                )
        with self.assertRaisesRegex(ValidationError, "0 < at risk < needs attention"):
            with self.env.cr.savepoint():
                self.policy.health_at_risk_below = 80

    def test_health_is_hidden_from_other_users(self):
        self.Account._update_health(self.policy, TODAY)
        employee = new_test_user(
            self.env,
            login="lcrm_health_employee",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        for field in ("health_score", "health_status", "health_payment_score"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                self.sick.with_user(employee).read([field])
        # a rep reads the health of the accounts they own, not of the others
        sick = self.sick.with_user(self.rep).with_company(self.company)
        self.assertFalse(sick.health_status)
        self.sick.with_company(self.company).key_account_manager_id = self.rep
        # the next request of the rep (a new cache) reads it
        sick.invalidate_recordset()
        self.assertEqual(sick.health_status, "at_risk")

    def test_closed_breaches_still_count(self):
        """Three tickets breached, then closed: the customer's service signal
        keeps the breaches (a closed ticket clears its next deadline, not its
        breach)."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Health 24/7",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        team = self.env["logistics.ticket.team"].create(
            {
                "name": "Health Desk",
                "company_id": self.company.id,
                "resource_calendar_id": calendar.id,
            }
        )
        self.env["logistics.sla.policy"].search(
            [("company_id", "=", self.company.id)]
        ).active = False
        self.env["logistics.sla.policy"].create(
            {
                "name": "Health SLA",
                "company_id": self.company.id,
                "response_hours": 4,
                "resolution_hours": 8,
            }
        )
        Ticket = self.env["logistics.ticket"].with_company(self.company)
        with freeze_time("2026-11-02 09:00"):
            tickets = Ticket.create(
                [
                    {
                        "name": f"Late pallet {i}",
                        "partner_id": self.sound.id,
                        "company_id": self.company.id,
                        "team_id": team.id,
                    }
                    for i in range(3)
                ]
            )
        self.assertTrue(all(tickets.mapped("sla_policy_id")))
        with freeze_time("2026-11-03 09:00"):
            Ticket._cron_sla_escalate()
        self.assertTrue(all(tickets.mapped("sla_breached")))
        with freeze_time("2026-11-04 09:00"):
            tickets.stage_id = self.env.ref(
                "logistics_crm.logistics_ticket_stage_closed"
            )
        self.assertFalse(any(tickets.mapped("sla_breach_date")), "no next deadline")
        self.Account._update_health(self.policy, TODAY)
        sound = self.sound.with_company(self.company)
        # three breaches, nothing shipped: 3 issues of the 5 that score 0
        self.assertEqual(sound.health_service_score, 40.0)
        self.assertLess(sound.health_score, 100.0)
