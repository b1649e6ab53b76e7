import base64

from werkzeug.exceptions import Forbidden, NotFound

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class LogisticsTicketPortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_ticket_count" in counters:
            Ticket = request.env["logistics.ticket"]
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
            ticket, access_token, values, "my_tickets_history", False, **kwargs
        )

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_tickets(self, page=1, sortby=None, filterby=None, **kw):
        Ticket = request.env["logistics.ticket"]
        if not Ticket.has_access("read"):
            return request.redirect("/my")
        sortings = {
            "date": {"label": _("Newest"), "order": "create_date desc, id desc"},
            "number": {"label": _("Number"), "order": "number desc"},
            "stage": {"label": _("Stage"), "order": "stage_id, id desc"},
        }
        filters = {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": _("Closed"), "domain": [("is_closed", "=", True)]},
        }
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
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
        request.session["my_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "tickets": tickets,
                "page_name": "logistics_ticket",
                "pager": pager,
                "default_url": "/my/tickets",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("logistics_crm.portal_my_tickets", values)

    def _check_ticket(self, ticket_id, access_token=None):
        try:
            return self._document_check_access(
                "logistics.ticket", ticket_id, access_token=access_token
            )
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error

    @http.route(["/my/tickets/<int:ticket_id>"], type="http", auth="user", website=True)
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._check_ticket(ticket_id, access_token)
        values = self._ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("logistics_crm.portal_my_ticket", values)

    @http.route(
        ["/my/tickets/<int:ticket_id>/close"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_close_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._check_ticket(ticket_id, access_token)
        if ticket_sudo._can_be_closed_by_customer():
            ticket_sudo.action_close()
            ticket_sudo.message_post(
                body=_("Closed by the customer from the portal."),
                author_id=request.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return request.redirect(ticket_sudo.get_portal_url())

    def _portal_ticket_types(self):
        return (
            request.env["logistics.ticket.type"]
            .sudo()
            .search([("company_id", "in", [request.env.company.id, False])])
        )

    @http.route(["/my/tickets/new"], type="http", auth="user", website=True)
    def portal_new_ticket(self, **kw):
        if not request.env["logistics.ticket"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_ticket_new",
                "ticket_types": self._portal_ticket_types(),
                "error": kw.get("error"),
            }
        )
        return request.render("logistics_crm.portal_new_ticket", values)

    @http.route(
        ["/my/tickets/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_submit_ticket(self, **post):
        user = request.env.user
        if not request.env["logistics.ticket"].has_access("read"):
            return request.redirect("/my")
        title = (post.get("name") or "").strip()
        description = (post.get("description") or "").strip()
        if not title or not description:
            return request.redirect("/my/tickets/new?error=missing")
        ticket_type = self._portal_ticket_types().filtered(
            lambda t: str(t.id) == post.get("type_id")
        )[:1]
        partner = user.partner_id
        company = partner.company_id or user.company_id
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
                body=_("Attachments sent with the ticket."),
                author_id=partner.id,
                attachment_ids=attachments.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(f"/my/tickets/{ticket.id}")
