from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..logic import segments

VOLUME_BAND_SELECTION = [
    (segments.LARGE, "Large Volume"),
    (segments.MEDIUM, "Medium Volume"),
    (segments.SMALL, "Small Volume"),
]
ORDER_FREQUENCY_SELECTION = [
    (segments.HEAVY, "High Frequency"),
    (segments.MEDIUM_FREQUENCY, "Medium Frequency"),
    (segments.LIGHT, "Low Frequency"),
]
SEGMENT_FIELDS = [
    "region_state_id",
    "region_country_id",
    "annual_tonnes",
    "volume_band",
    "order_frequency",
]
# the months of volume statements that make a customer's annual tonnes
VOLUME_MONTHS = 12
# operators of the lane search: {operator: (lane operator, accounts with a lane)}
LANE_OPERATORS = {
    "ilike": ("ilike", True),
    "like": ("like", True),
    "=ilike": ("=ilike", True),
    "=like": ("=like", True),
    "=": ("=", True),
    "not ilike": ("ilike", False),
    "not like": ("like", False),
    "!=": ("=", False),
}


class LogisticsCustomerTier(models.Model):
    """Segments of an account: what the customer ships (commodity categories),
    where (region, lanes), how much (volume band) and how often (frequency)."""

    _inherit = "logistics.customer.tier"

    region_state_id = fields.Many2one(
        related="partner_id.state_id", string="Region (State)", store=True
    )
    region_country_id = fields.Many2one(
        related="partner_id.country_id", string="Region (Country)", store=True
    )
    region = fields.Char(
        compute="_compute_region",
        help="The customer's state or province, its country when it has none.",
    )
    commodity_category_ids = fields.Many2many(
        related="partner_id.commodity_category_ids", string="Commodity Categories"
    )
    lane_search = fields.Char(
        string="Lane",
        compute="_compute_lane_search",
        search="_search_lane_search",
        help="Finds customers with a lane from or to a place.",
    )
    annual_tonnes = fields.Float(
        digits=(16, 2),
        readonly=True,
        aggregator="sum",
        help="Tonnes of the customer's volume statements of the last 12 months, "
        "or its annual tonnage estimate when its statements record no weight.",
    )
    volume_band = fields.Selection(
        VOLUME_BAND_SELECTION,
        readonly=True,
        index=True,
        help="From the annual tonnes and the limits of the company's tier policy.",
    )
    order_frequency = fields.Selection(
        ORDER_FREQUENCY_SELECTION,
        readonly=True,
        index=True,
        help="From the customer's typical order interval (the estimated one when "
        "none is recorded) and the limits of the company's tier policy.",
    )

    @api.depends("region_state_id", "region_country_id")
    def _compute_region(self):
        for row in self:
            row.region = (row.region_state_id or row.region_country_id).display_name

    def _compute_lane_search(self):
        self.lane_search = False

    def _search_lane_search(self, operator, value):
        if operator not in LANE_OPERATORS:
            raise UserError(
                self.env._(
                    "Customers cannot be searched by lane with the operator "
                    "%(operator)s.",
                    operator=operator,
                )
            )
        lane_operator, with_lane = LANE_OPERATORS[operator]
        if value is False or value is None:
            # ("lane_search", "!=", False): customers with any lane
            lane_domain, with_lane = [], not with_lane
        else:
            lane_domain = [
                "|",
                ("origin", lane_operator, value),
                ("destination", lane_operator, value),
            ]
        lanes = self.env["logistics.partner.lane"]._search(lane_domain)
        # a lane of a contact counts for its company, which owns the account
        customers = (
            self.env["res.partner"]
            .with_context(active_test=False)
            ._search([("id", "in", lanes.subselect("partner_id"))])
        )
        return [
            (
                "partner_id",
                "in" if with_lane else "not in",
                customers.subselect("commercial_partner_id"),
            )
        ]

    # ------------------------------------------------------------------
    # Bulk update used by the recompute (one query per company)
    # ------------------------------------------------------------------
    @api.model
    def _update_segments(self, policy, today=None):
        """Store annual tonnes, volume band and order frequency of every account
        of the policy's company; only changed rows are written.

        The region is refreshed too: the recompute inserts new accounts with SQL,
        which leaves their stored related fields empty.

        :return: number of accounts written
        """
        today = today or fields.Date.context_today(self)
        company = policy.company_id
        months_from = today.replace(day=1) - relativedelta(months=VOLUME_MONTHS - 1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, v.tonnes, p.annual_tonnage_estimate,
                       p.order_interval_days, t.estimated_order_interval_days,
                       p.state_id, p.country_id,
                       t.annual_tonnes, t.volume_band, t.order_frequency,
                       t.region_state_id, t.region_country_id
                  FROM logistics_customer_tier t
                  JOIN res_partner p ON p.id = t.partner_id
                  LEFT JOIN (
                        SELECT commercial_partner_id, SUM(weight_tonnes) AS tonnes
                          FROM logistics_volume
                         WHERE company_id = %(company)s
                           AND date BETWEEN %(date_from)s AND %(date_to)s
                         GROUP BY commercial_partner_id
                       ) v ON v.commercial_partner_id = t.partner_id
                 WHERE t.company_id = %(company)s
                """,
                company=company.id,
                date_from=months_from,
                date_to=today,
            )
        )
        ids, states, countries, tonnes_list, bands, frequencies = [], [], [], [], [], []
        for (
            row_id,
            stated,
            estimate,
            interval,
            estimated_interval,
            state,
            country,
            old_tonnes,
            old_band,
            old_frequency,
            old_state,
            old_country,
        ) in self.env.cr.fetchall():
            tonnes = round(float(stated or estimate or 0.0), 2)
            band = segments.volume_band(
                tonnes,
                policy.volume_band_large_tonnes,
                policy.volume_band_medium_tonnes,
            )
            frequency = segments.order_frequency(
                interval or estimated_interval,
                policy.frequency_heavy_days,
                policy.frequency_medium_days,
            )
            if (
                round(old_tonnes or 0.0, 2) == tonnes
                and old_band == band
                and old_frequency == frequency
                and old_state == state
                and old_country == country
            ):
                continue
            ids.append(row_id)
            states.append(state)
            countries.append(country)
            tonnes_list.append(tonnes)
            bands.append(band)
            frequencies.append(frequency)
        if ids:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_customer_tier t
                       SET region_state_id = v.state,
                           region_country_id = v.country,
                           annual_tonnes = v.tonnes,
                           volume_band = v.band,
                           order_frequency = v.frequency
                      FROM unnest(%(ids)s::int[], %(states)s::int[],
                                  %(countries)s::int[], %(tonnes)s::float8[],
                                  %(bands)s::varchar[], %(frequencies)s::varchar[])
                           AS v(id, state, country, tonnes, band, frequency)
                     WHERE t.id = v.id
                    """,
                    ids=ids,
                    states=states,
                    countries=countries,
                    tonnes=tonnes_list,
                    bands=bands,
                    frequencies=frequencies,
                )
            )
            self.invalidate_model(SEGMENT_FIELDS)
        return len(ids)
