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

        :param body: str (escaped) or Markup
        :return: the notes (sudo)
        """
        if not self:
            return self.env["mail.message"]
        return self._message_log_batch(
            dict.fromkeys(self.ids, body), author_id=author_id
        )
