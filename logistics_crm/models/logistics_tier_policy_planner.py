from markupsafe import Markup

from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

PLANNER_ACTIVITY_TYPES = (
    "logistics_crm.mail_activity_type_proactive",
    "logistics_crm.mail_activity_type_reengage",
    "logistics_crm.mail_activity_type_birthday",
)


class LogisticsTierPolicy(models.Model):
    """How much the daily planner asks of each user: which tiers get proactive
    and re-engage activities, and how many activities a user gets a day."""

    _inherit = "logistics.tier.policy"

    @api.constrains("planner_activities_per_user")
    def _check_planner_activities_per_user(self):
        for policy in self:
            if policy.planner_activities_per_user < 0:
                raise ValidationError(
                    _("The number of activities per user and day cannot be negative.")
                )

    def _proactive_tiers(self):
        """Tiers whose customers get proactive and re-engage activities (a
        customer not ranked yet gets them too: it is usually a new one)."""
        self.ensure_one()
        return self.grade_ids.filtered("proactive_activities").mapped("code")

    def _split_by_daily_limit(self, vals_list):
        """(activities to create, overflow) so that no user receives more than
        the policy's number of planner activities today, counting those already
        created today (earlier calls, other servers)."""
        self.ensure_one()
        limit = self.planner_activities_per_user
        if limit <= 0 or not vals_list:
            return vals_list, []
        type_ids = [self.env.ref(xmlid).id for xmlid in PLANNER_ACTIVITY_TYPES]
        self.env["mail.activity"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT user_id, COUNT(*) FROM mail_activity
                 WHERE user_id = ANY(%s) AND activity_type_id = ANY(%s)
                   AND create_date >= %s
                 GROUP BY user_id
                """,
                list({vals["user_id"] for vals in vals_list}),
                type_ids,
                self.company_id._logistics_day_start(),
            )
        )
        counts = dict(self.env.cr.fetchall())
        keep, overflow = [], []
        for vals in vals_list:
            user_id = vals["user_id"]
            if counts.get(user_id, 0) < limit:
                counts[user_id] = counts.get(user_id, 0) + 1
                keep.append(vals)
            else:
                overflow.append(vals)
        return keep, overflow

    def _add_to_planner_digests(self, overflow):
        """One digest activity per user and day on the policy, listing the
        customers beyond the user's daily number (appended to when it exists)."""
        self.ensure_one()
        digest_type = self.env.ref("logistics_crm.mail_activity_type_planner_digest")
        today = self._company_today()
        Activity = self.env["mail.activity"].sudo()
        Users = self.env["res.users"].sudo()
        partners = (
            self.env["res.partner"].sudo().browse({vals["res_id"] for vals in overflow})
        )
        names = {partner.id: partner.display_name for partner in partners}
        by_user = {}
        for vals in overflow:
            by_user.setdefault(vals["user_id"], []).append(vals)
        existing = {
            activity.user_id.id: activity
            for activity in Activity.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("activity_type_id", "=", digest_type.id),
                    ("user_id", "in", list(by_user)),
                    ("date_deadline", "=", today),
                ]
            )
        }
        to_create = []
        for user_id, items in by_user.items():
            lines = Markup("").join(
                Markup("<li>%s: %s</li>") % (names[vals["res_id"]], vals["summary"])
                for vals in items
            )
            env = Users.browse(user_id)._logistics_in_lang(self, self.company_id).env
            digest = existing.get(user_id)
            if digest:
                note = Markup(digest.note or "").replace(
                    "</ul>", lines + Markup("</ul>")
                )
            else:
                note = Markup("<ul>%s</ul>") % lines
            summary = env._(
                "%(count)s more customers to contact today",
                count=str(note).count("<li>"),
            )
            if digest:
                digest.write({"note": note, "summary": summary})
            else:
                to_create.append(
                    {
                        "activity_type_id": digest_type.id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "user_id": user_id,
                        "summary": summary,
                        "note": note,
                        "date_deadline": today,
                    }
                )
        if to_create:
            Activity.with_context(mail_activity_quick_update=True).create(to_create)
