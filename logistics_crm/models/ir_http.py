from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _match(cls, path):
        rule_args = super()._match(path)
        # a language in the URL (/zh_CN/my/...) was rewritten away: an explicit
        # choice of the visitor, kept
        if request.httprequest.path != path:
            request.logistics_url_lang = True
        return rule_args

    @classmethod
    def _frontend_pre_dispatch(cls):
        cls._logistics_portal_user_lang()
        super()._frontend_pre_dispatch()

    @classmethod
    def _logistics_portal_user_lang(cls):
        """A logged-in customer's portal (/my) is in the customer's language.

        Odoo prefers the ``frontend_lang`` cookie to the user's language, and the
        login page sets that cookie to the language it was shown in: a Chinese
        customer then read the portal in English. Public pages (and a language
        given in the URL) keep Odoo's choice, so the language switcher works.
        """
        path = request.httprequest.path
        if getattr(request, "logistics_url_lang", False) or not (
            path == "/my" or path.startswith("/my/")
        ):
            return
        user = request.env.user
        if not user or not user.share or user._is_public() or not user.lang:
            return
        code = request.env["ir.http"].get_nearest_lang(user.lang)
        if code and code != request.lang.code:
            request.lang = request.env["res.lang"]._get_data(code=code)
