import base64
from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Odoo's helpdesk and OCA's helpdesk_mgmt own /my/tickets, its counter and history:
# this service desk keeps to its own paths and keys so both can be installed.
PORTAL_URL = "/my/logistics/tickets"
HISTORY_KEY = "my_logistics_tickets_history"


class LogisticsTicketPortal(portal.CustomerPortal):
    def _logistics_portal_companies(self):
        """The companies whose tickets the portal shows the current user.

        Portal users have no company switcher: they follow their tickets in every
        company they are allowed in, not only in their default one.
        """
        user = request.env.user
        if user.share and not user._is_public():
            return (user.company_id | user.company_ids).ids
        return request.env.companies.ids

    def _logistics_portal_tickets(self):
        return request.env["logistics.ticket"].with_context(
            allowed_company_ids=self._logistics_portal_companies()
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_ticket_count" in counters:
            Ticket = self._logistics_portal_tickets()
            values["logistics_ticket_count"] = (
                Ticket.search_count([]) if Ticket.has_access("read") else 0
            )
        return values

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = {
            "page_name": "logistics_ticket",
            "ticket": ticket,
            "can_close": ticket._can_be_closed_by_customer(),
        }
        return self._get_page_view_values(
            ticket, access_token, values, HISTORY_KEY, False, **kwargs
        )

    # The list, the page and the new-ticket form only read (every ticket has its
    # token from creation): read-only requests, served on a replica when the
    # server has one (--db_replica_host). Closing and submitting write.
    @http.route(
        [PORTAL_URL, f"{PORTAL_URL}/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_logistics_tickets(self, page=1, sortby=None, filterby=None, **kw):
        Ticket = self._logistics_portal_tickets()
        if not Ticket.has_access("read"):
            return request.redirect("/my")
        env = request.env
        sortings = {
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
            "number": {"label": env._("Number"), "order": "number desc"},
            "stage": {"label": env._("Stage"), "order": "stage_id, id desc"},
        }
        filters = {
            "all": {"label": env._("All"), "domain": []},
            "open": {"label": env._("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": env._("Closed"), "domain": [("is_closed", "=", True)]},
        }
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url=PORTAL_URL,
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY_KEY] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(self._logistics_service_values())
        values.update(
            {
                "tickets": tickets,
                "page_name": "logistics_ticket",
                "pager": pager,
                "default_url": PORTAL_URL,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("logistics_crm.logistics_ticket_portal_list", values)

    def _logistics_service_values(self):
        """The customer's key-account managers and its current service
        commitments in the companies the portal shows (read as superuser: the
        customer sees only its own)."""
        customer = request.env.user.partner_id.commercial_partner_id
        companies = request.env["res.company"].browse(
            self._logistics_portal_companies()
        )
        accounts = (
            request.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("company_id", "in", companies.ids),
                    ("key_account_manager_id", "!=", False),
                ]
            )
        )
        today = fields.Date.context_today(request.env.user)
        commitments = (
            request.env["logistics.sla.policy"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("company_id", "in", companies.ids),
                    "|",
                    ("date_start", "=", False),
                    ("date_start", "<=", today),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                ],
                order="date_start, sequence, id",
            )
        )
        return {
            "service_managers": accounts.key_account_manager_id.partner_id,
            "service_commitments": commitments,
        }

    def _ticket_access_denied(self, error):
        """Anonymous visitors without a valid token are sent to log in (nothing
        tells them whether the ticket exists); a logged-in user gets 404 or 403."""
        if request.env.user._is_public():
            query = urlencode({"redirect": request.httprequest.path})
            return request.redirect(f"/web/login?{query}")
        if isinstance(error, MissingError):
            raise NotFound() from error
        raise Forbidden() from error

    def _logistics_ticket_access(self, ticket_id, access_token):
        """``(ticket as sudo, None)`` when the user or the token may see the ticket,
        else ``(None, the response refusing it)``."""
        request.update_context(allowed_company_ids=self._logistics_portal_companies())
        try:
            ticket_sudo = self._document_check_access(
                "logistics.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            return None, self._ticket_access_denied(error)
        return ticket_sudo, None

    @http.route(
        [f"{PORTAL_URL}/<int:ticket_id>"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_logistics_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo, denied = self._logistics_ticket_access(ticket_id, access_token)
        if denied:
            return denied
        values = self._ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("logistics_crm.logistics_ticket_portal_page", values)

    @http.route(
        [f"{PORTAL_URL}/<int:ticket_id>/close"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_close_logistics_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo, denied = self._logistics_ticket_access(ticket_id, access_token)
        if denied:
            return denied
        if ticket_sudo._can_be_closed_by_customer():
            ticket_sudo.action_close()
            author = request.env.user.partner_id
            if request.env.user._is_public():
                # the token holder is the ticket's customer, as in Odoo's chatter
                author = ticket_sudo.partner_id
            ticket_sudo._logistics_log_note(
                request.env._("Closed by the customer from the portal."),
                author_id=author.id,
            )
        url = ticket_sudo.access_url
        if access_token:
            url = f"{url}?{urlencode({'access_token': access_token})}"
        return request.redirect(url)

    def _portal_ticket_company(self, user=None):
        """The company a ticket opened from the portal belongs to.

        A customer bound to a company (the contact's or its commercial partner's
        company) is served by that company: its tier, SLA and team live there, and
        no other company could even use it as the ticket's customer. A customer
        shared by every company is served by the company its portal user was
        invited from: the user's ``company_id``, the company the portal session
        runs in.
        """
        # sudo: the customer's company decides, also when the user's session
        # does not include it
        user = (user or request.env.user).sudo()
        partner = user.partner_id
        return (
            partner.company_id
            or partner.commercial_partner_id.company_id
            or user.company_id
        )

    def _portal_ticket_types(self, company):
        return (
            request.env["logistics.ticket.type"]
            .sudo()
            .search([("company_id", "in", [company.id, False])])
        )

    @http.route(
        [f"{PORTAL_URL}/new"], type="http", auth="user", website=True, readonly=True
    )
    def portal_new_logistics_ticket(self, **kw):
        if not request.env["logistics.ticket"].has_access("read"):
            return request.redirect("/my")
        company = self._portal_ticket_company()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_ticket_new",
                "ticket_types": self._portal_ticket_types(company),
                "error": kw.get("error"),
            }
        )
        return request.render("logistics_crm.logistics_ticket_portal_new", values)

    @http.route(
        [f"{PORTAL_URL}/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_submit_logistics_ticket(self, **post):
        user = request.env.user
        if not request.env["logistics.ticket"].has_access("read"):
            return request.redirect("/my")
        title = (post.get("name") or "").strip()
        description = (post.get("description") or "").strip()
        if not title or not description:
            return request.redirect(f"{PORTAL_URL}/new?error=missing")
        company = self._portal_ticket_company(user)
        ticket_type = request.env["logistics.ticket.type"]
        if post.get("type_id"):
            ticket_type = self._portal_ticket_types(company).filtered(
                lambda t: str(t.id) == post["type_id"]
            )
            if not ticket_type:
                return request.redirect(f"{PORTAL_URL}/new?error=type")
        partner = user.partner_id
        # sudo: portal users cannot create tickets; the values are the user's own
        Ticket = request.env["logistics.ticket"].sudo().with_company(company)
        ticket = Ticket.create(
            {
                "name": title,
                "description": plaintext2html(description),
                "partner_id": partner.id,
                "type_id": ticket_type.id,
                "tracking_number": (post.get("tracking_number") or "").strip(),
                "channel": "portal",
                "company_id": company.id,
                "user_id": False,
                "team_id": Ticket.env["logistics.ticket.team"]
                ._default_team_for(company=company)
                .id,
            }
        )
        files = request.httprequest.files.getlist("attachment")
        attachments = request.env["ir.attachment"].sudo()
        for upload in files:
            content = upload.read()
            if not upload.filename or not content:
                continue
            attachments |= attachments.create(
                {
                    "name": upload.filename,
                    "datas": base64.b64encode(content),
                    "res_model": ticket._name,
                    "res_id": ticket.id,
                }
            )
        if attachments:
            ticket.message_post(
                body=request.env._("Attachments sent with the ticket."),
                author_id=partner.id,
                attachment_ids=attachments.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        # with its token: the customer sees the new ticket even when it belongs to
        # a company their portal account was not opened in
        return request.redirect(ticket.get_portal_url())
