from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..compat import PHONE_FIELDS, domain_and, domain_or, phone_numbers
from ..logic import dedupe

USER_GROUP = "logistics_crm.group_logistics_crm_user"

# contexts in which partners are created by Odoo itself: module data files
# (``install_module``; not ``install_mode``, which every ``load()`` import has
# too), users and companies (their own partners)
SKIP_CONTEXT_KEYS = ("install_module", "logistics_skip_duplicate_check")


class ResPartner(models.Model):
    """The duplicate check (查重) before a customer is created: by normalised
    company name, by unified social credit code and by phone number (E.164)."""

    _inherit = "res.partner"

    credit_code = fields.Char(
        string="Unified Social Credit Code",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The company's 18-character unified social credit code; the last "
        "character is a check character. Two customers of one company cannot "
        "share a code.",
        groups=USER_GROUP,
    )
    # keys the duplicate check searches on: stored and indexed, so that a check
    # is a few index lookups however many partners there are
    logistics_name_key = fields.Char(
        string="Duplicate-Check Name",
        compute="_compute_logistics_name_key",
        store=True,
        index="btree_not_null",
        groups=USER_GROUP,
    )
    logistics_phone_key = fields.Char(
        string="Duplicate-Check Phone",
        compute="_compute_logistics_phone_keys",
        store=True,
        index="btree_not_null",
        groups=USER_GROUP,
    )
    logistics_mobile_key = fields.Char(
        string="Duplicate-Check Mobile",
        compute="_compute_logistics_phone_keys",
        store=True,
        index="btree_not_null",
        groups=USER_GROUP,
    )

    @api.depends("name", "is_company")
    def _compute_logistics_name_key(self):
        # people share names: only companies are matched by name
        for partner in self:
            partner.logistics_name_key = partner._logistics_own_name_key()

    @api.depends(*PHONE_FIELDS, "country_id", "company_id")
    def _compute_logistics_phone_keys(self):
        for partner in self:
            phone, mobile = partner._logistics_own_phone_keys()
            partner.logistics_phone_key = phone or False
            partner.logistics_mobile_key = mobile or False

    def _logistics_own_name_key(self):
        self.ensure_one()
        if not self.is_company:
            return False
        return dedupe.normalize_company_name(self.name) or False

    def _logistics_own_phone_keys(self):
        """(phone key, mobile key) of the partner, national numbers read in its
        country, else its company's, else the current company's."""
        self.ensure_one()
        country = (
            self.country_id or self.company_id.country_id or self.env.company.country_id
        )
        return tuple(
            dedupe.phone_key(number, country.code, country.phone_code)
            for number in phone_numbers(self)
        )

    # ------------------------------------------------------------------
    # Unified social credit code
    # ------------------------------------------------------------------
    @api.model
    def _logistics_compact_credit_code(self, vals):
        if vals.get("credit_code"):
            vals = dict(
                vals, credit_code=dedupe.compact_credit_code(vals["credit_code"])
            )
        return vals

    @api.constrains("credit_code", "company_id", "parent_id", "is_company", "active")
    def _check_credit_code(self):
        partners = self.sudo().filtered("credit_code")
        for partner in partners:
            if not dedupe.is_valid_credit_code(partner.credit_code):
                raise ValidationError(
                    self.env._(
                        "The Unified Social Credit Code %(code)s of %(partner)s is "
                        "not valid: it has 18 characters and its last one is a "
                        "check character.",
                        code=partner.credit_code,
                        partner=partner.display_name,
                    )
                )
        commercial = partners.filtered(lambda p: p.is_company or not p.parent_id)
        if not commercial:
            return
        # a merge gives the destination a source's code before deleting it
        merging = self.env.context.get("logistics_merging_partner_ids") or []
        others = self.sudo().search(
            [
                ("credit_code", "in", commercial.mapped("credit_code")),
                ("id", "not in", merging),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ]
        )
        for partner in commercial:
            for other in others:
                if (
                    other != partner
                    and other.credit_code == partner.credit_code
                    and (
                        not partner.company_id
                        or not other.company_id
                        or partner.company_id == other.company_id
                    )
                ):
                    raise ValidationError(
                        self.env._(
                            "The Unified Social Credit Code %(code)s of %(partner)s "
                            "is already the code of %(other)s.",
                            code=partner.credit_code,
                            partner=partner.display_name,
                            other=other.display_name,
                        )
                    )

    # ------------------------------------------------------------------
    # Finding duplicates
    # ------------------------------------------------------------------
    def _logistics_dedupe_keys(self):
        """(name key, credit code, phone keys) of the partner, from its values
        (a new record of a form has no stored keys yet)."""
        self.ensure_one()
        phones = {key for key in self._logistics_own_phone_keys() if key}
        code = dedupe.compact_credit_code(self.credit_code) or False
        return self._logistics_own_name_key(), code, phones

    def _logistics_find_duplicates(self, company=None):
        """The existing customers each partner of `self` may duplicate.

        Looks among the commercial partners visible in the partner's company
        (`company`, else the partner's company, else the current one) for the
        same normalised company name, the same credit code or the same phone
        number (a contact's number counts for its company). One search per
        company, on the indexed keys.

        :return: {partner: {existing commercial partner (sudo): set of reasons}}
            with reasons among "name", "credit_code", "phone"; partners without
            a duplicate are left out
        """
        by_company = defaultdict(list)
        for partner in self:
            keys = partner._logistics_dedupe_keys()
            if any(keys):
                by_company[company or partner.company_id or self.env.company].append(
                    (partner, keys)
                )
        result = {}
        for target_company, items in by_company.items():
            by_key = self._logistics_duplicate_candidates(
                target_company, [keys for _partner, keys in items]
            )
            for partner, (name, code, partner_phones) in items:
                own = partner._origin or partner
                keys = [("name", name), ("credit_code", code)]
                keys += [("phone", phone) for phone in partner_phones]
                found = defaultdict(set)
                for reason, value in keys:
                    for candidate in by_key.get((reason, value), ()) if value else ():
                        existing = candidate.commercial_partner_id
                        if candidate != own and existing != own:
                            found[existing].add(reason)
                if found:
                    result[partner] = dict(found)
        return result

    @api.model
    def _logistics_duplicate_candidates(self, company, keys_list):
        """The partners visible in `company` with any of the keys, in one
        search: {(reason, key): [partners (sudo)]}."""
        names = {keys[0] for keys in keys_list if keys[0]}
        codes = {keys[1] for keys in keys_list if keys[1]}
        phones = set().union(*(keys[2] for keys in keys_list))
        matches = []
        if names:
            matches.append(
                [("logistics_name_key", "in", list(names)), ("is_company", "=", True)]
            )
        if codes:
            matches.append([("credit_code", "in", list(codes))])
        if phones:
            matches.append([("logistics_phone_key", "in", list(phones))])
            matches.append([("logistics_mobile_key", "in", list(phones))])
        domain = domain_and(
            [
                [("company_id", "in", [company.id, False])],
                # an employee's own partner is not a customer
                [("partner_share", "=", True)],
                domain_or(matches),
            ]
        )
        by_key = defaultdict(list)
        no_company = self.env["res.company"]
        for candidate in self.sudo().with_context(active_test=True).search(domain):
            # a contact of another company's customer
            if candidate.commercial_partner_id.company_id not in (company, no_company):
                continue
            if candidate.is_company and candidate.logistics_name_key:
                by_key["name", candidate.logistics_name_key].append(candidate)
            if candidate.credit_code:
                by_key["credit_code", candidate.credit_code].append(candidate)
            for phone in {
                candidate.logistics_phone_key,
                candidate.logistics_mobile_key,
            } - {False}:
                by_key["phone", phone].append(candidate)
        return by_key

    # ------------------------------------------------------------------
    # Who owns the existing customer
    # ------------------------------------------------------------------
    @api.model
    def _logistics_duplicate_owner(self, account):
        """The owner (res.users) of a customer account row; empty when the
        account is in the company's pool (公海), or there is no account yet."""
        return account.sudo().owner_id

    @api.model
    def _logistics_may_claim(self, account, user):
        """Whether `user` may claim the customer of `account` (a row, or none
        yet: a customer nobody owns): the pool's own checks (not owned, not a
        grade that is assigned, not returned by the user too recently, within
        the user's limits), without claiming it."""
        if not account:
            return True
        account = account.sudo()
        try:
            account._pool_check_claimable(user)
            account._pool_check_limits(user, claiming=True)
        except UserError:
            return False
        return True

    def _logistics_duplicate_lines(self, duplicates, company):
        """One line per existing customer: its name, city, how it matched, and
        its owner or the pool, with whether the current user may claim it.
        Nothing else of the customer: it may be another rep's.

        :param duplicates: {existing commercial partner: set of reasons}, as
            `_logistics_find_duplicates` finds them (no reason: no "matched by")
        """
        existing = self.browse()
        for partner in duplicates:
            existing |= partner
        accounts = {
            row.partner_id: row
            for row in self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", existing.ids),
                    ("company_id", "=", company.id),
                ]
            )
        }
        reason_labels = {
            "name": self.env._("same company name"),
            "credit_code": self.env._("same credit code"),
            "phone": self.env._("same phone number"),
        }
        user = self.env.user
        lines = []
        for partner, reasons in duplicates.items():
            partner = partner.sudo()
            account = accounts.get(partner, self.env["logistics.customer.tier"])
            owner = self._logistics_duplicate_owner(account)
            if owner == user:
                whose = self.env._("already your customer")
            elif owner:
                whose = self.env._(
                    "owned by %(owner)s, not yours to claim", owner=owner.sudo().name
                )
            elif self._logistics_may_claim(account, user):
                whose = self.env._("in the Customer Pool, you may claim it")
            else:
                whose = self.env._("in the Customer Pool")
            customer = partner.name or ""
            if partner.city:
                customer = self.env._(
                    "%(customer)s (%(city)s)", customer=customer, city=partner.city
                )
            if not reasons:
                lines.append(
                    self.env._(
                        "%(customer)s: %(owner)s", customer=customer, owner=whose
                    )
                )
                continue
            labels = [
                reason_labels[reason]
                for reason in sorted(reasons, key=list(reason_labels).index)
            ]
            matched = labels[0]
            for label in labels[1:]:
                matched = self.env._(
                    "%(reasons)s, %(reason)s", reasons=matched, reason=label
                )
            lines.append(
                self.env._(
                    "%(customer)s: %(matched)s; %(owner)s",
                    customer=customer,
                    matched=matched,
                    owner=whose,
                )
            )
        return lines

    # ------------------------------------------------------------------
    # The check on create (form, JSON-RPC, import) and in the form
    # ------------------------------------------------------------------
    @api.model
    def _logistics_skip_duplicate_check(self):
        return any(self.env.context.get(key) for key in SKIP_CONTEXT_KEYS)

    def _logistics_check_duplicates(self):
        """Refuse the new customers that duplicate existing ones where their
        company blocks duplicates; note the duplicates on them elsewhere."""
        commercial = self.filtered(lambda p: not p.parent_id)
        if not commercial:
            return
        found = commercial._logistics_find_duplicates()
        for partner, duplicates in found.items():
            company = partner.company_id or self.env.company
            lines = partner._logistics_duplicate_lines(duplicates, company)
            if company.sudo().logistics_block_duplicate_customers:
                raise ValidationError(
                    self.env._(
                        "Duplicate check: %(partner)s matches an existing customer "
                        "of %(company)s:\n%(duplicates)s",
                        partner=partner.name,
                        company=company.name,
                        duplicates="\n".join(lines),
                    )
                )
            partner._logistics_log_note(
                Markup("%s<ul>%s</ul>")
                % (
                    self.env._(
                        "Duplicate check: this customer may already exist in "
                        "%(company)s:",
                        company=company.name,
                    ),
                    Markup().join(
                        Markup("<li>%s</li>") % escape(line) for line in lines
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._logistics_compact_credit_code(vals) for vals in vals_list]
        partners = super().create(vals_list)
        if not self._logistics_skip_duplicate_check():
            # as superuser, still in the user's name: whoever may create a
            # partner (a contact editor, a portal signup) gets the check, which
            # reads keys of customers and fields they may not read themselves
            partners.sudo()._logistics_check_duplicates()
        return partners

    def write(self, vals):
        return super().write(self._logistics_compact_credit_code(vals))

    @api.onchange("name", "is_company", "parent_id", *PHONE_FIELDS, "credit_code")
    def _onchange_logistics_duplicates(self):
        if len(self) != 1 or self.parent_id or not self.env.user.has_group(USER_GROUP):
            return None
        duplicates = self._logistics_find_duplicates().get(self)
        if not duplicates:
            return None
        company = self.company_id or self.env.company
        blocked = company.sudo().logistics_block_duplicate_customers
        lines = self._logistics_duplicate_lines(duplicates, company)
        intro = (
            self.env._("This customer already exists; it cannot be created again:")
            if blocked
            else self.env._("This customer may already exist:")
        )
        return {
            "warning": {
                "title": self.env._("Duplicate Check"),
                "message": "\n".join([intro, *lines]),
            }
        }
