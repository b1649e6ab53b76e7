from odoo import api, models

from ..logic import abc_ranking


class LogisticsTierPolicy(models.Model):
    """Activities for tier moves, at-risk and rising-star customers."""

    _inherit = "logistics.tier.policy"

    def _create_alerts(self, scope, changes, today):
        """Activities for tier moves, volume drops in every grade but the last
        (key and partner customers), rising stars in the last grade (general
        customers)."""
        self.ensure_one()
        last_grade = self._last_grade().code
        CustomerTier = self.env["logistics.customer.tier"]
        recent, before = self._trend_values(today)
        candidates = set(recent) | set(before)
        rows = CustomerTier._current_rows(self.company_id)
        new_trends = {}
        for pid in candidates & set(scope):
            row = rows.get(pid)
            if not row:
                continue
            growth = abc_ranking.growth_percent(recent.get(pid, 0.0), before.get(pid))
            trend = False
            if growth is not None:
                is_last = row["tier"] == last_grade
                if row["tier"] and not is_last and growth < -self.at_risk_drop_percent:
                    trend = "at_risk"
                elif is_last and growth > self.rising_star_growth_percent:
                    trend = "rising_star"
            new_trends[pid] = (trend, growth)
        # every other account: no trend (written too, so no figure goes stale)
        newly_flagged = CustomerTier._write_trends(self.company_id, rows, new_trends)
        self._schedule_alert_activities(changes, newly_flagged, today)

    def _schedule_alert_activities(self, changes, newly_flagged, today):
        activity_vals = []
        order = self._grade_order()
        # a first tier (nothing before) is no move: only moves and new flags
        moved = {
            pid
            for pid, (previous, new) in changes.items()
            if abc_ranking.tier_direction(previous, new, order)
        }
        partners = (
            self.env["res.partner"]
            .with_company(self.company_id)
            .browse(moved | set(newly_flagged))
        )
        types = {
            "tier_change": self.env.ref("logistics_crm.mail_activity_type_tier_change"),
            "at_risk": self.env.ref("logistics_crm.mail_activity_type_at_risk"),
            "rising_star": self.env.ref("logistics_crm.mail_activity_type_rising_star"),
        }
        tier_field = self.env["logistics.customer.tier"]._fields["tier"]
        by_lang = {}
        for partner in partners:
            user = partner.key_account_manager_id or self.responsible_user_id
            if not user:
                continue
            # the summary is read by the assignee: in the assignee's language
            lang = user._logistics_lang(self.company_id)
            if lang not in by_lang:
                # the labels of this company's grades, in the assignee's language
                env = user._logistics_in_lang(
                    self.with_company(self.company_id), self.company_id
                ).env
                by_lang[lang] = (env, dict(tier_field._description_selection(env)))
            env, tier_labels = by_lang[lang]
            if partner.id in changes:
                previous, new = changes[partner.id]
                direction = abc_ranking.tier_direction(previous, new, order)
                if direction:
                    labels = {
                        "old": tier_labels.get(previous, previous),
                        "new": tier_labels.get(new, new),
                    }
                    summary = (
                        env._("Tier up: %(old)s → %(new)s", **labels)
                        if direction == "up"
                        else env._("Tier down: %(old)s → %(new)s", **labels)
                    )
                    activity_vals.append(
                        self._alert_vals(
                            types["tier_change"],
                            partner,
                            user,
                            summary,
                        )
                    )
            trend_growth = newly_flagged.get(partner.id)
            if trend_growth:
                trend, growth = trend_growth
                percent = round(abs(growth))
                summary = (
                    env._(
                        "Volume dropping: value down %(percent)s%% over 3 months",
                        percent=percent,
                    )
                    if trend == "at_risk"
                    else env._(
                        "Rising star: value up %(percent)s%% over 3 months",
                        percent=percent,
                    )
                )
                activity_vals.append(
                    self._alert_vals(types[trend], partner, user, summary)
                )
        self._create_activities(activity_vals)

    @api.model
    def _create_activities(self, vals_list, model="res.partner"):
        """Create the jobs' activities in one batch: listed in each user's
        activities, not emailed one by one. The records' names are read for the
        whole batch first (an activity reads its record's name one by one)."""
        if not vals_list:
            return self.env["mail.activity"]
        records = self.env[model].sudo().browse({vals["res_id"] for vals in vals_list})
        records.mapped("display_name")
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    def _alert_vals(self, activity_type, partner, user, summary):
        return {
            "activity_type_id": activity_type.id,
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": partner.id,
            "user_id": user.id,
            "summary": summary,
            "date_deadline": activity_type._get_date_deadline(),
        }
