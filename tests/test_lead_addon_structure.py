"""Static checks of the bridge addon logistics_crm_lead (its files are checked
with the main addon's in test_addon_structure.py), and of the rule both
addons follow: a field added to a model shared with customers and other apps
carries groups= (view groups are not security)."""

import ast
import csv
import re

import pytest

from conftest import ADDON_DIR

LEAD_DIR = ADDON_DIR.parent / "logistics_crm_lead"
MANIFEST = ast.literal_eval((LEAD_DIR / "__manifest__.py").read_text())
# models every portal user or employee may read records of
SHARED_MODELS = {"res.partner", "crm.lead", "res.company"}


def test_manifest_is_a_bridge():
    # without the series: one code base for Odoo 18.0 and 19.0
    assert re.fullmatch(r"\d+\.\d+\.\d+", MANIFEST["version"])
    assert MANIFEST["license"] == "LGPL-3"
    assert set(MANIFEST["depends"]) == {"logistics_crm", "crm"}
    assert MANIFEST["auto_install"] is True


def test_the_report_has_access_rights():
    with open(LEAD_DIR / "security" / "ir.model.access.csv") as acl_file:
        models = {row["model_id:id"] for row in csv.DictReader(acl_file)}
    assert "model_logistics_lead_funnel" in models


def _fields_without_groups(addon_dir):
    """(file, model, field) of fields declared on a shared model without groups=."""
    found = []
    for py in (addon_dir / "models").glob("*.py"):
        for node in ast.walk(ast.parse(py.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            inherit = next(
                (
                    stmt.value.value
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign)
                    and any(getattr(t, "id", None) == "_inherit" for t in stmt.targets)
                    and isinstance(stmt.value, ast.Constant)
                ),
                None,
            )
            if inherit not in SHARED_MODELS:
                continue
            for stmt in node.body:
                call = getattr(stmt, "value", None)
                if not (
                    isinstance(stmt, ast.Assign)
                    and isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and getattr(call.func.value, "id", None) == "fields"
                ):
                    continue
                if not any(kw.arg == "groups" for kw in call.keywords):
                    found.append((py.name, inherit, stmt.targets[0].id))
    return found


@pytest.mark.parametrize("addon_dir", [ADDON_DIR, LEAD_DIR], ids=lambda p: p.name)
def test_fields_on_shared_models_carry_groups(addon_dir):
    assert not _fields_without_groups(addon_dir)


def test_groups_check_finds_a_field_without_groups(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "partner.py").write_text(
        "from odoo import fields, models\n"
        "class P(models.Model):\n"
        "    _inherit = 'res.partner'\n"
        "    secret = fields.Char()\n"
        "    shown = fields.Char(groups='base.group_user')\n"
    )
    assert _fields_without_groups(tmp_path) == [("partner.py", "res.partner", "secret")]
