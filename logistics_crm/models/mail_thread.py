from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _logistics_log_note(self, body, author_id=None):
        """Log the addon's automatic note on each record of `self`, the way Odoo
        logs its field tracking (``_message_log``): an internal note that notifies
        nobody, written by the current user (or `author_id`) even when that user
        has no email address. ``message_post`` refuses such a user, and the
        action the note accompanies (winning a deal, approving a claim) would be
        rolled back with it.

        :param body: str (escaped) or Markup, or a dict of them by record id
            (each record its own note, in one batch)
        :return: the notes (sudo)
        """
        if not self:
            return self.env["mail.message"]
        bodies = body if isinstance(body, dict) else dict.fromkeys(self.ids, body)
        return self._message_log_batch(bodies, author_id=author_id)
