"""Data files refer only to records loaded before them, and a record created by a
data file finds the records its model's defaults look up (`env.ref`): an install
without demo data gets the same configuration as one with it."""

import ast
import re

import pytest
from lxml import etree

from conftest import ADDON_DIR

MODULE = ADDON_DIR.name
ADDON_DIRS = [ADDON_DIR, ADDON_DIR.parent / "logistics_crm_lead"]
# ref('x'), ref("module.x") in eval attributes; %(x)d in actions and contexts
EVAL_REF = re.compile(r"""ref\(\s*['"]([\w.]+)['"]\s*\)""")
PERCENT_REF = re.compile(r"%\(([\w.]+)\)[ds]")
DEFAULT_REF = re.compile(r"""env\.ref\(\s*['"]([\w.]+)['"]""")


def _full(xmlid, module):
    return xmlid if "." in xmlid else f"{module}.{xmlid}"


def _xml_records(path, module):
    """[(kind, value)] in document order: ("define", xmlid), ("ref", xmlid),
    ("create", model) for each record of the file."""
    events = []
    for node in etree.parse(str(path)).getroot().iter():
        if not isinstance(node.tag, str):
            continue
        for name, value in node.attrib.items():
            if name == "ref" and node.tag == "field":
                events.append(("ref", _full(value, module)))
            elif name in ("eval", "context", "domain", "action", "name"):
                for match in EVAL_REF.findall(value) + PERCENT_REF.findall(value):
                    events.append(("ref", _full(match, module)))
        for match in PERCENT_REF.findall(node.text or ""):
            events.append(("ref", _full(match, module)))
        if node.tag in ("record", "template", "menuitem") and node.get("id"):
            if node.tag == "menuitem":
                for attr in ("parent", "action"):
                    if node.get(attr):
                        events.append(("ref", _full(node.get(attr), module)))
            if node.tag == "record":
                events.append(("create", node.get("model")))
            events.append(("define", _full(node.get("id"), module)))
    return events


def _csv_ids(path, module):
    lines = path.read_text().splitlines()[1:]
    return [_full(line.split(",", 1)[0], module) for line in lines if line.strip()]


def _default_refs(addon_dir):
    """{model: {xmlid}} the field defaults of the addon's models look up."""
    refs = {}
    for py in (addon_dir / "models").glob("*.py"):
        tree = ast.parse(py.read_text())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            model = None
            for stmt in cls.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and getattr(stmt.targets[0], "id", None) in ("_name", "_inherit")
                    and isinstance(stmt.value, ast.Constant)
                ):
                    model = model or stmt.value.value
            if not model:
                continue
            methods = {
                stmt.name: ast.unparse(stmt)
                for stmt in cls.body
                if isinstance(stmt, ast.FunctionDef)
            }
            for stmt in ast.walk(cls):
                if not isinstance(stmt, ast.keyword) or stmt.arg != "default":
                    continue
                source = ast.unparse(stmt.value)
                # a default calling a method of the model: that method's lookups
                for name, body in methods.items():
                    if re.search(rf"\b{name}\(", source):
                        source += body
                refs.setdefault(model, set()).update(DEFAULT_REF.findall(source))
    return refs


def _manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda p: p.name)
def test_data_files_refer_to_records_loaded_before(addon_dir):
    module = addon_dir.name
    defaults = _default_refs(addon_dir)
    defined, problems = set(), []
    for path in _manifest(addon_dir).get("data", []):
        file = addon_dir / path
        if file.suffix == ".csv":
            defined.update(_csv_ids(file, module))
            continue
        for kind, value in _xml_records(file, module):
            if kind == "define":
                defined.add(value)
            elif kind == "ref":
                if (
                    value.startswith(f"{module}.")
                    and value not in defined
                    # ir.model and ir.model.fields ids come from the registry
                    and not value.startswith((f"{module}.model_", f"{module}.field_"))
                ):
                    problems.append(f"{path} refers to {value} before it is loaded")
            else:
                for xmlid in defaults.get(value, ()):
                    if xmlid.startswith(f"{MODULE}.") and xmlid not in defined:
                        problems.append(
                            f"{path} creates a {value} whose default looks up "
                            f"{xmlid}, not loaded yet"
                        )
    assert not problems, "\n".join(problems)


def test_the_policy_default_survey_is_seen_by_the_check():
    # the check above is only worth something if it sees the survey default
    assert f"{MODULE}.survey_relationship" in _default_refs(ADDON_DIR).get(
        "logistics.tier.policy", set()
    )
