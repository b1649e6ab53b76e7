from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
class TestTicketHygiene(LogisticsTicketCase):
    """Complaints close with a root cause; duplicates merge into one ticket."""

    def test_complaint_needs_a_root_cause_to_close(self):
        complaint = self._ticket(type_id=self.type_complaint.id)
        with (
            self.assertRaisesRegex(ValidationError, "root cause"),
            self.env.cr.savepoint(),
        ):
            complaint.stage_id = self.stage_resolved
        complaint.invalidate_recordset()
        self.assertFalse(complaint.is_closed, "nothing half-written")
        complaint.write({"root_cause": "warehouse", "stage_id": self.stage_resolved.id})
        self.assertTrue(complaint.is_closed)
        # an inquiry closes without one
        inquiry = self._ticket()
        inquiry.stage_id = self.stage_resolved
        self.assertTrue(inquiry.is_closed)

    def test_duplicates_merge_into_the_oldest(self):
        first = self._ticket(name="Container late")
        second = self._ticket(
            name="Container late (again)",
            type_id=self.type_damage.id,
            claim_line_ids=[Command.create({"name": "Spoiled fruit", "amount": 50.0})],
        )
        second.message_post(body="Photo of the seal", message_type="comment")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "seal.jpg",
                "raw": b"jpg",
                "res_model": "logistics.ticket",
                "res_id": second.id,
            }
        )
        watcher = self.env["res.partner"].create({"name": "Watcher"})
        second.message_subscribe(partner_ids=watcher.ids)
        action = (second | first).with_user(self.rep).action_merge()
        self.assertEqual(action["res_id"], first.id)
        self.assertIn("Photo of the seal", "".join(first.message_ids.mapped("body")))
        self.assertEqual(attachment.res_id, first.id)
        self.assertIn(watcher, first.message_partner_ids)
        self.assertEqual(first.claim_line_ids.name, "Spoiled fruit")
        self.assertFalse(second.active)
        self.assertEqual(second.merged_into_id, first)
        self.assertIn(first.number, second.message_ids[:1].body)

    def test_merge_refuses_settled_duplicates(self):
        first = self._ticket()
        settled = self._ticket(type_id=self.type_damage.id)
        settled.sudo().with_context(logistics_settlement_action=True).write(
            {"claim_state": "proposed"}
        )
        with self.assertRaisesRegex(UserError, "settlement"):
            (first | settled).action_merge()
        self.assertTrue(settled.active)

    def test_merge_refuses_mixed_customers_and_strangers(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        mine = self._ticket()
        theirs = self._ticket(partner_id=other.id)
        with self.assertRaises(UserError):
            (mine | theirs).action_merge()
        self.assertTrue(theirs.active)
        with self.assertRaises(UserError):
            mine.action_merge()
        # a rep who cannot edit another handler's tickets cannot merge them
        foreign = self._ticket(user_id=self.other_rep.id, team_id=self.other_team.id)
        mine_too = self._ticket()
        with self.assertRaises(AccessError):
            (mine_too | foreign).with_user(self.rep).action_merge()
        self.assertTrue(foreign.active)
