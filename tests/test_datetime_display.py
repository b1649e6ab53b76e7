"""Every datetime the addons show is shown without seconds (or as a date).

The field types are read from the models' Python with ``ast`` and the views' XML is
walked with the model each view (and each embedded x2many view) is about, so a new
``<field name="some_datetime"/>`` without ``show_seconds`` fails here.
"""

import ast

import pytest
from lxml import etree

from conftest import ADDON_DIR

ADDON_DIRS = [ADDON_DIR, ADDON_DIR.parent / "logistics_crm_lead"]
# Odoo's magic fields, present on every model
MAGIC_DATETIMES = {"create_date", "write_date"}
RELATIONAL = {"Many2one": 0, "One2many": 0, "Many2many": 0}
# widgets that show a datetime's day (Odoo 19.0 warns about widget="date" on a
# datetime: options="{'show_time': false}" shows its day on both versions)
DAY_WIDGETS = {"remaining_days"}
# the portal templates' record variables and their models
TEMPLATE_VARIABLES = {
    "ticket": "logistics.ticket",
    "ticket_line": "logistics.ticket",
    "commitment": "logistics.sla.commitment",
}


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _model_fields():
    """{model: {field: (type, comodel)}} for the fields the addons declare."""
    models = {}
    for addon_dir in ADDON_DIRS:
        for py in addon_dir.rglob("*.py"):
            if "tests" in py.parts or "migrations" in py.parts:
                continue
            for cls in ast.walk(ast.parse(py.read_text())):
                if not isinstance(cls, ast.ClassDef):
                    continue
                attrs = {
                    t.id: stmt.value
                    for stmt in cls.body
                    if isinstance(stmt, ast.Assign)
                    for t in stmt.targets
                    if isinstance(t, ast.Name)
                }
                name = _literal(attrs["_name"]) if "_name" in attrs else None
                inherit = _literal(attrs["_inherit"]) if "_inherit" in attrs else None
                if isinstance(inherit, str):
                    inherit = [inherit]
                names = [name] if name else (inherit or [])
                for model in names:
                    fields = models.setdefault(model, {})
                    for field, value in attrs.items():
                        if not (
                            isinstance(value, ast.Call)
                            and isinstance(value.func, ast.Attribute)
                            and isinstance(value.func.value, ast.Name)
                            and value.func.value.id == "fields"
                        ):
                            continue
                        ftype = value.func.attr
                        comodel = None
                        if ftype in RELATIONAL:
                            if value.args:
                                comodel = _literal(value.args[0])
                            for kw in value.keywords:
                                if kw.arg == "comodel_name":
                                    comodel = _literal(kw.value)
                        fields[field] = (ftype, comodel)
    return models


MODEL_FIELDS = _model_fields()


def _is_datetime(model, field):
    if field in MAGIC_DATETIMES:
        return True
    return MODEL_FIELDS.get(model, {}).get(field, (None, None))[0] == "Datetime"


def _shows_no_seconds(element):
    if element.get("invisible") in ("1", "True", "true"):
        return True
    if element.get("widget") in DAY_WIDGETS:
        return True
    options = element.get("options") or ""
    compact = options.replace(" ", "").replace('"', "'").lower()
    return "'show_seconds':false" in compact or "'show_time':false" in compact


def _offending_fields(arch, model):
    """(model, field, line) of datetime fields shown with seconds under ``arch``."""
    found = []
    for element in arch.iter("field"):
        # only the fields of this level: embedded views are walked with their model
        owner = element.getparent()
        while owner is not None and owner is not arch:
            if owner.tag == "field" and owner is not element:
                break
            owner = owner.getparent()
        if owner is not None and owner is not arch:
            continue
        name = element.get("name")
        if _is_datetime(model, name) and (
            element.get("widget") == "date" or not _shows_no_seconds(element)
        ):
            found.append((model, name, element.sourceline))
        comodel = MODEL_FIELDS.get(model, {}).get(name, (None, None))[1]
        for sub_view in element:
            if isinstance(sub_view.tag, str) and sub_view.tag in (
                "list",
                "form",
                "kanban",
            ):
                found += _offending_fields(sub_view, comodel)
    return found


def _views():
    for addon_dir in ADDON_DIRS:
        for xml in sorted(addon_dir.rglob("*.xml")):
            if "demo" in xml.parts or "data" in xml.parts:
                continue
            root = etree.parse(str(xml)).getroot()
            for record in root.iter("record"):
                if record.get("model") != "ir.ui.view":
                    continue
                model = record.findtext("field[@name='model']")
                arch = record.find("field[@name='arch']")
                if arch is None or not model:
                    continue
                roots = [child.tag for child in arch if isinstance(child.tag, str)]
                # search, pivot and graph views filter and group, they show no value
                if roots and roots[0] in ("search", "pivot", "graph"):
                    continue
                if model:
                    yield xml, record.get("id"), model, arch


def _view_params():
    return [
        pytest.param(xml, view_id, model, arch, id=f"{xml.name}:{view_id}")
        for xml, view_id, model, arch in _views()
    ]


def test_datetime_fields_are_known():
    # the scan relies on the ast reading; make sure it found the known ones
    assert _is_datetime("logistics.visit", "date")
    assert _is_datetime("logistics.ticket", "sla_response_deadline")
    assert not _is_datetime("logistics.volume", "date")


def test_a_datetime_shows_its_day_with_show_time_not_the_date_widget():
    def offending(field_xml):
        arch = etree.fromstring(f"<list>{field_xml}</list>")
        return _offending_fields(arch, "logistics.tier.history")

    assert offending('<field name="date"/>')
    assert offending('<field name="date" widget="date"/>')
    assert not offending('<field name="date" options="{\'show_time\': false}"/>')
    assert not offending('<field name="date" options="{\'show_seconds\': False}"/>')


@pytest.mark.parametrize(("xml", "view_id", "model", "arch"), _view_params())
def test_views_show_datetimes_without_seconds(xml, view_id, model, arch):
    offending = _offending_fields(arch, model)
    assert not offending, (
        f"{xml.name}:{view_id} shows datetimes with seconds: add "
        "options=\"{'show_seconds': false}\" (or 'show_time': false; not "
        'widget="date", which Odoo 19.0 warns about on a datetime): '
        f"{offending}"
    )


def _portal_templates():
    for addon_dir in ADDON_DIRS:
        yield from sorted((addon_dir / "views").glob("*portal*.xml"))


@pytest.mark.parametrize("xml", list(_portal_templates()), ids=lambda p: p.name)
def test_portal_templates_show_datetimes_without_seconds(xml):
    all_datetimes = MAGIC_DATETIMES | {
        field
        for fields in MODEL_FIELDS.values()
        for field, (ftype, _comodel) in fields.items()
        if ftype == "Datetime"
    }
    root = etree.parse(str(xml)).getroot()
    offending = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        expr = element.get("t-field") or element.get("t-esc") or element.get("t-out")
        if not expr or "." not in expr:
            continue
        variable, field = expr.rsplit(".", 1)
        model = TEMPLATE_VARIABLES.get(variable)
        if not (_is_datetime(model, field) if model else field in all_datetimes):
            continue
        options = (element.get("t-options") or "").replace(" ", "")
        if any(
            option in options
            # hide_seconds would keep Chinese "00秒": the pattern has no ":ss"
            for option in ("'widget':'date'", "'format':")
        ):
            continue
        offending.append((expr, element.sourceline))
    assert not offending, f"{xml.name}: datetimes shown with seconds {offending}"
