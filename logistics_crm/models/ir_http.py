from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _frontend_pre_dispatch(cls):
        cls._logistics_portal_user_lang()
        return super()._frontend_pre_dispatch()

    @classmethod
    def _logistics_portal_user_lang(cls):
        """A logged-in customer's portal (/my) is in the customer's language.

        Odoo prefers the ``frontend_lang`` cookie (and the language it then puts
        in the URL) to the user's language, and the login page sets that cookie to
        the language it was shown in: a Chinese customer read the portal in
        English. Public pages, and internal users, keep Odoo's choice, so the
        language switcher of public pages works as before; the cookie follows the
        customer's language from the first portal page on.
        """
        path = request.httprequest.path
        if not (path == "/my" or path.startswith("/my/")):
            return
        user = request.env.user
        if not user or not user.share or user._is_public() or not user.lang:
            return
        code = request.env["ir.http"].get_nearest_lang(user.lang)
        if code and code != request.lang.code:
            request.lang = request.env["res.lang"]._get_data(code=code)
