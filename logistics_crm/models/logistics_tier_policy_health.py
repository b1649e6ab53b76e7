from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic import health

HEALTH_WEIGHT_FIELDS = {signal: f"health_weight_{signal}" for signal in health.SIGNALS}


class LogisticsTierPolicy(models.Model):
    """How the company weighs the signals of its customers' health."""

    _inherit = "logistics.tier.policy"

    health_weight_trend = fields.Float(string="Revenue Trend Weight", default=2.0)
    health_weight_service = fields.Float(
        string="SLA Breaches and Complaints Weight", default=1.0
    )
    health_weight_satisfaction = fields.Float(
        string="Ratings and Visit Satisfaction Weight", default=1.0
    )
    health_weight_visits = fields.Float(string="Overdue Visits Weight", default=1.0)
    health_weight_payment = fields.Float(string="Payment Weight", default=1.0)
    health_weight_survey = fields.Float(
        string="Relationship Survey Weight", default=1.0
    )
    health_watch_below = fields.Float(
        string="Needs Attention below",
        default=70.0,
        help="A health score under this needs the manager's attention.",
    )
    health_at_risk_below = fields.Float(
        string="Health at Risk below",
        default=40.0,
        help="A health score under this puts the account at risk: its key-account "
        "manager gets one activity naming the signals responsible.",
    )
    health_alert_drop_points = fields.Float(
        string="Alert on a Drop of (points)",
        default=20.0,
        help="A score falling by this many points since the last computation also "
        "alerts the key-account manager; 0: only the fall to at risk.",
    )

    @api.constrains(
        *HEALTH_WEIGHT_FIELDS.values(), "health_watch_below", "health_at_risk_below"
    )
    def _check_health_settings(self):
        for policy in self:
            weights = [policy[name] for name in HEALTH_WEIGHT_FIELDS.values()]
            if any(weight < 0 for weight in weights) or not any(weights):
                raise ValidationError(
                    self.env._(
                        "Health weights cannot be negative, and at least one must be "
                        "above zero."
                    )
                )
            if not 0 < policy.health_at_risk_below < policy.health_watch_below <= 100:
                raise ValidationError(
                    self.env._(
                        "Health thresholds must satisfy 0 < at risk < needs attention "
                        "<= 100 (at risk below %(at_risk)s, needs attention below "
                        "%(watch)s).",
                        at_risk=policy.health_at_risk_below,
                        watch=policy.health_watch_below,
                    )
                )

    @api.constrains("health_alert_drop_points")
    def _check_health_alert_drop_points(self):
        for policy in self:
            if not 0 <= policy.health_alert_drop_points <= 100:
                raise ValidationError(
                    self.env._(
                        "The health drop that alerts must be between 0 and 100 "
                        "points (0: only the fall to at risk), not %(points)s.",
                        points=policy.health_alert_drop_points,
                    )
                )

    def _health_weights(self):
        self.ensure_one()
        return {signal: self[name] for signal, name in HEALTH_WEIGHT_FIELDS.items()}

    def _alert_health(self, accounts, scores_by_account):
        """One activity per account that fell, for its owner, in the owner's
        language, naming the signals responsible."""
        self.ensure_one()
        if not accounts:
            return
        activity_type = self.env.ref("logistics_crm.mail_activity_type_health_risk")
        vals_list = []
        for account in accounts:
            partner = account.partner_id.with_company(self.company_id)
            user = partner._account_owner(self)
            if not user:
                continue
            env = user._logistics_in_lang(self, self.company_id).env
            names = {
                "trend": env._("revenue trend"),
                "service": env._("SLA breaches and complaints"),
                "satisfaction": env._("ratings and visit satisfaction"),
                "visits": env._("overdue visits"),
                "payment": env._("late payment"),
                "survey": env._("relationship survey"),
            }
            weak = health.weakest_signals(scores_by_account[account.id])
            signals = ", ".join(names[signal] for signal in weak)
            vals_list.append(
                self._alert_vals(
                    activity_type,
                    partner,
                    user,
                    env._(
                        "Account health %(score)s/100, weakest: %(signals)s",
                        score=round(account.health_score or 0),
                        signals=signals or "-",
                    ),
                )
            )
        self._create_activities(vals_list)
