"""The addons' automatic chatter notes never block the action they accompany:
they are logged through ``_logistics_log_note`` (Odoo's ``_message_log``, as its
field tracking), which needs no email address of the user, never through
``message_post``, which refuses a user without one. ``message_post`` stays for
messages meant for people (an email to the customer, a customer's comment)."""

import ast

import pytest

from conftest import ADDON_DIR

ADDON_DIRS = [ADDON_DIR, ADDON_DIR.parent / "logistics_crm_lead"]
# posting methods that compute the author with raise_on_email=True
POSTING = {"message_post", "message_notify", "message_post_with_source"}


def _posts(addon_dir):
    """(file:line, meant for people, passes **kwargs through) of every posting
    call outside the tests: a message for people is a comment (its type or its
    subtype says so), anything else is a note."""
    for py in sorted(addon_dir.rglob("*.py")):
        if "tests" in py.relative_to(addon_dir).parts:
            continue
        for node in ast.walk(ast.parse(py.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in POSTING
            ):
                continue
            keywords = {
                kw.arg: getattr(kw.value, "value", None) for kw in node.keywords
            }
            yield (
                f"{py.relative_to(addon_dir.parent)}:{node.lineno}",
                keywords.get("subtype_xmlid") == "mail.mt_comment"
                or keywords.get("message_type") in ("comment", "auto_comment"),
                None in keywords,
            )


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda p: p.name)
def test_no_automatic_note_through_message_post(addon_dir):
    notes = [
        where
        for where, for_people, passthrough in _posts(addon_dir)
        if not (for_people or passthrough)
    ]
    assert not notes, (
        "automatic notes must be logged with _logistics_log_note: " + ", ".join(notes)
    )


def test_the_check_sees_the_posts_it_allows():
    posts = list(_posts(ADDON_DIR))
    # the reminder to the customer, the portal's attachments, the acknowledgement
    # (comments) and the ticket's own override (passes kwargs through)
    assert sum(for_people for _where, for_people, _through in posts) >= 3, posts
    assert any(through for _where, _for_people, through in posts), posts
