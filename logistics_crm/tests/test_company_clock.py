from collections import defaultdict
from datetime import date, datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import LogisticsCrmCase, LogisticsTicketCase
from .test_cron_runs import run_cron, run_manually

VISITS = "logistics_crm.ir_cron_schedule_visits"
PLANNER = "logistics_crm.ir_cron_proactive_activities"
RECOMPUTE = "logistics_crm.ir_cron_recompute_tiers"
COMPANY_JOBS = {
    "_cron_recompute_company": "recompute",
    "_cron_schedule_company_visits": "visits",
    "_cron_plan_company_activities": "planner",
}


@tagged("post_install", "-at_install")
class TestCompanyClock(LogisticsCrmCase):
    """A company's time zone: its contact's, else its working hours', else its
    users' most common one, else UTC; in Python and in the nightly due check."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock_company = cls.env["res.company"].create({"name": "Clock Chain Co"})
        cls.clock_company.partner_id.tz = "Asia/Shanghai"
        cls.clock_company.resource_calendar_id.tz = "Europe/Berlin"

    def _sql_tz(self, company):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM res_company company WHERE company.id = %s",
                self.env["res.company"]._logistics_tz_sql("company"),
                company.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _assert_tz(self, tz, source):
        company = self.clock_company
        company.invalidate_recordset()
        self.assertEqual(company._logistics_tz_source(), (tz, source))
        self.assertEqual(self._sql_tz(company), tz, "the due check's zone")

    def test_chain_contact_calendar_users_utc(self):
        company = self.clock_company
        self._assert_tz("Asia/Shanghai", "company")
        company.partner_id.tz = False
        self._assert_tz("Europe/Berlin", "calendar")
        company.resource_calendar_id = False
        users = [
            new_test_user(
                self.env,
                login=f"lcrm_clock_{i}",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
                tz=tz,
            )
            for i, tz in enumerate(
                ["America/New_York", "America/New_York", "Europe/Berlin"]
            )
        ]
        # a portal user does not count
        portal = new_test_user(
            self.env,
            login="lcrm_clock_portal",
            groups="base.group_portal",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
            tz="Asia/Tokyo",
        )
        portal_twin = portal.copy({"login": "lcrm_clock_portal_2"})
        self.assertEqual(portal_twin.tz, "Asia/Tokyo")
        self._assert_tz("America/New_York", "users")
        for user in users:
            user.active = False
        self._assert_tz("UTC", "default")

    def test_today_is_the_company_zones(self):
        company = self.clock_company
        with freeze_time("2026-11-15 20:00:00"):
            self.assertEqual(company._logistics_today(), date(2026, 11, 16))
            company.partner_id.tz = False
            # Berlin's evening
            self.assertEqual(company._logistics_today(), date(2026, 11, 15))
            policy = self.env["logistics.tier.policy"]._get_company_policy(company)
            self.assertEqual(policy._company_today(), date(2026, 11, 15))

    def test_settings_show_and_set_the_zone(self):
        company = self.clock_company
        company.partner_id.tz = False
        settings = self.env["res.config.settings"].with_company(company).create({})
        self.assertEqual(settings.logistics_tz_in_use, "Europe/Berlin")
        self.assertEqual(settings.logistics_tz_source, "calendar")
        settings.logistics_company_tz = "Asia/Shanghai"
        self.assertEqual(settings.logistics_tz_in_use, "Asia/Shanghai")
        self.assertEqual(settings.logistics_tz_source, "company")
        # the calendar counts in Berlin: the settings say so
        self.assertIn("Europe/Berlin", settings.logistics_calendar_tz_warning)
        self.assertIn("Asia/Shanghai", settings.logistics_calendar_tz_warning)
        settings.execute()
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")


@tagged("post_install", "-at_install")
class TestCompanyNights(LogisticsCrmCase):
    """Two companies eight hours apart, the scheduler calling every hour: each
    company's nightly work runs once a local day, in its own night, with its
    own local date as "today"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.shanghai = Company.create({"name": "Clock Shanghai Logistics"})
        cls.shanghai.partner_id.tz = "Asia/Shanghai"
        cls.london = Company.create({"name": "Clock London Freight"})
        cls.london.partner_id.tz = "Europe/London"
        cls.zones = {
            cls.shanghai.id: pytz.timezone("Asia/Shanghai"),
            cls.london.id: pytz.timezone("Europe/London"),
        }
        Policy = cls.env["logistics.tier.policy"].sudo()
        Policy.search([("company_id", "not in", list(cls.zones))]).unlink()
        cls.policies = Policy.search([])
        assert len(cls.policies) == 2
        # both were done for their 15 November (the day they were set up)
        cls.policies.write(
            dict.fromkeys(
                ("cron_recompute_day", "cron_visits_day", "cron_planner_day"),
                date(2026, 11, 15),
            )
        )

    def setUp(self):
        super().setUp()
        self.calls = defaultdict(list)  # job -> [(company, today, local moment)]
        policy_class = type(self.env["logistics.tier.policy"])
        for method, job in COMPANY_JOBS.items():
            self.patch(policy_class, method, self._recording(job))

    def _recording(self, job):
        calls, zones = self.calls, self.zones

        def record(policy, today):
            company = policy.company_id.id
            local = pytz.utc.localize(datetime.now()).astimezone(zones[company])
            calls[job].append((company, today, local.replace(tzinfo=None)))

        return record

    def _hourly(self, start, hours, xmlids):
        for hour in range(hours):
            with freeze_time(start + timedelta(hours=hour)):
                for xmlid in xmlids:
                    run_cron(self, xmlid)

    def _assert_nights(self, job, local_hour, days):
        for company in self.zones:
            calls = [(t, m) for c, t, m in self.calls[job] if c == company]
            self.assertEqual([today for today, _m in calls], days, (job, company))
            for today, moment in calls:
                # in its own night, on the local day it takes as today
                self.assertEqual(moment.date(), today)
                self.assertEqual(moment.hour, local_hour, (job, company, moment))

    def test_each_company_done_once_a_local_day_in_its_own_night(self):
        self._hourly(datetime(2026, 11, 15, 12, 30), 48, [VISITS, PLANNER])
        days = [date(2026, 11, 16), date(2026, 11, 17)]
        self._assert_nights("visits", 3, days)
        self._assert_nights("planner", 4, days)
        # each company's day: Shanghai's night comes eight hours before London's
        shanghai_first = self.calls["planner"][0]
        self.assertEqual(shanghai_first[0], self.shanghai.id)
        self.assertEqual(self.policies.mapped("cron_planner_day"), days[1:] * 2)

    def test_the_monthly_recompute_on_each_companys_first(self):
        self._hourly(datetime(2026, 11, 30, 12, 30), 20, [RECOMPUTE])
        self._assert_nights("recompute", 2, [date(2026, 12, 1)])

    def test_run_manually_does_every_company_and_not_the_night(self):
        # 01:00 in Shanghai, 17:00 the day before in London: nobody's night
        with freeze_time(datetime(2026, 11, 15, 17, 0)):
            run_manually(self, PLANNER)
            run_cron(self, PLANNER)
        self.assertEqual(
            sorted(c for c, _t, _m in self.calls["planner"]), sorted(self.zones)
        )
        self.assertEqual(
            self.policies.mapped("cron_planner_day"), [date(2026, 11, 15)] * 2
        )
        # the night still comes
        self._hourly(datetime(2026, 11, 15, 19, 30), 10, [PLANNER])
        self.assertEqual(len(self.calls["planner"]), 4)

    def test_a_call_with_nothing_due_is_one_query(self):
        cron = self.env.ref(PLANNER)
        Policy = self.env["logistics.tier.policy"]
        with freeze_time(datetime(2026, 11, 15, 12, 30)):
            progress = self.env["ir.cron.progress"].create(
                {"cron_id": cron.id, "remaining": 0, "done": 0}
            )
            self.env.flush_all()
            scheduled = Policy.with_context(
                ir_cron_progress_id=progress.id, cron_id=cron.id
            )
            with self.assertQueryCount(1):
                scheduled._cron_run_per_company(
                    "planner", "_cron_plan_company_activities"
                )
        self.assertFalse(self.calls["planner"])
        self.assertFalse(
            self.env["logistics.job.run"].search([("job", "=", "planner")])
        )


@tagged("post_install", "-at_install")
class TestSlaCalendarZone(LogisticsTicketCase):
    """A company in Shanghai on Brussels working hours: the settings and the
    team say so, and their button gives working hours in Shanghai time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.brussels = cls.calendar.copy({"tz": "Europe/Brussels"})
        cls.brussels.name = "Brussels 9-17"
        cls.company.resource_calendar_id = cls.brussels
        cls.team.resource_calendar_id = cls.brussels
        cls.policy.response_hours = 1

    def test_warning_and_calendar_in_the_company_zone(self):
        self.assertIn("Europe/Brussels", self.team.calendar_tz_warning)
        self.assertIn("Asia/Shanghai", self.team.calendar_tz_warning)
        settings = self.env["res.config.settings"].create({})
        self.assertIn("Europe/Brussels", settings.logistics_calendar_tz_warning)
        # Monday 2026-03-09, 04:28 in Beijing
        with freeze_time(datetime(2026, 3, 8, 20, 28)):
            ticket = self._ticket()
        # Brussels hours: 10:00 in Brussels, 17:00 in Beijing
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 3, 9, 9, 0))

        self.team.action_calendar_in_company_tz()
        calendar = self.team.resource_calendar_id
        self.assertEqual(calendar.tz, "Asia/Shanghai")
        self.assertEqual(calendar.name, "Brussels 9-17 (Asia/Shanghai)")
        self.assertEqual(
            calendar.attendance_ids.mapped("hour_from"),
            self.brussels.attendance_ids.mapped("hour_from"),
        )
        self.assertFalse(self.team.calendar_tz_warning)
        # one working hour from 09:00 in Shanghai: 10:00 Beijing, 02:00 UTC
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 3, 9, 2, 0))

        settings.action_logistics_calendar_in_company_tz()
        # the same copy, made once
        self.assertEqual(self.company.resource_calendar_id, calendar)
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.logistics_calendar_tz_warning)
