"""Static checks of the addon: manifest, data files, XML and access rights."""

import ast
import csv
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import ADDON_DIR

MANIFEST = ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text())
DATA_DIRS = ("data", "security", "views", "wizards", "report", "demo")
# the file checks hold for the bridge addon too
ADDON_DIRS = [ADDON_DIR, ADDON_DIR.parent / "logistics_crm_lead"]


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda p: p.name)
def test_version_without_the_series(addon_dir):
    """One code base for Odoo 18.0 and 19.0: Odoo prefixes its own series, and
    the migration folders are named without it too (run once per module version)."""
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    migrations = addon_dir / "migrations"
    for folder in migrations.iterdir() if migrations.exists() else ():
        assert re.fullmatch(r"\d+\.\d+\.\d+", folder.name), folder


def test_manifest_essentials():
    assert MANIFEST["license"] == "LGPL-3"
    assert "description" not in MANIFEST
    assert {"contacts", "mail", "account"} <= set(MANIFEST["depends"])


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda p: p.name)
def test_manifest_lists_every_data_file_that_exists(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    listed = manifest.get("data", []) + manifest.get("demo", [])
    for path in listed:
        assert (addon_dir / path).is_file(), f"manifest lists a missing file: {path}"
    on_disk = {
        str(p.relative_to(addon_dir))
        for folder in DATA_DIRS
        for p in (addon_dir / folder).glob("*")
        if p.suffix in (".xml", ".csv")
    }
    assert on_disk - set(listed) == set(), "data files not listed in the manifest"
    assert len(listed) == len(set(listed)), "a data file is listed twice"


def test_security_loads_before_views():
    data = MANIFEST["data"]
    acl = data.index("security/ir.model.access.csv")
    first_view = min(i for i, p in enumerate(data) if p.startswith("views/"))
    assert acl < first_view


@pytest.mark.parametrize(
    "xml_file",
    sorted(xml for addon_dir in ADDON_DIRS for xml in addon_dir.rglob("*.xml")),
    ids=lambda p: f"{p.parent.parent.name}/{p.name}",
)
def test_xml_parses(xml_file):
    root = etree.parse(str(xml_file)).getroot()
    # Owl templates of the web client are <templates>, data files <odoo>
    owl = "static" in xml_file.parts and "src" in xml_file.parts
    assert root.tag == ("templates" if owl else "odoo")


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda p: p.name)
def test_no_deprecated_view_syntax(addon_dir):
    for xml_file in addon_dir.rglob("*.xml"):
        text = xml_file.read_text()
        assert "<tree" not in text, f"{xml_file.name}: use <list>"
        assert " attrs=" not in text, f"{xml_file.name}: use invisible/readonly"
        assert " states=" not in text, f"{xml_file.name}: use invisible"


def _python_models():
    models = set()
    for py in (ADDON_DIR / "models").glob("*.py"):
        tree = ast.parse(py.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {
                t.id: stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name)
            }
            name = attrs.get("_name")
            transient = any(
                isinstance(b, ast.Attribute) and b.attr == "TransientModel"
                for b in node.bases
            )
            if isinstance(name, ast.Constant) and not transient:
                models.add(name.value)
    return models


def test_every_model_has_an_acl_line():
    models = _python_models()
    assert "logistics.service.type" in models
    with open(ADDON_DIR / "security" / "ir.model.access.csv") as acl_file:
        rows = list(csv.DictReader(acl_file))
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    missing = {m for m in models if "model_" + m.replace(".", "_") not in covered}
    assert not missing, f"models without access rights: {sorted(missing)}"


def test_acl_ids_are_unique():
    with open(ADDON_DIR / "security" / "ir.model.access.csv") as acl_file:
        ids = [row["id"] for row in csv.DictReader(acl_file)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda p: p.name)
def test_every_model_file_is_imported(addon_dir):
    for package in ("models", "report", "tests"):
        if not (addon_dir / package / "__init__.py").is_file():
            continue
        init = (addon_dir / package / "__init__.py").read_text()
        for py in (addon_dir / package).glob("*.py"):
            # a test helper module (tests/common.py) is imported by the tests
            if py.name != "__init__.py" and (
                package != "tests" or py.name.startswith("test_")
            ):
                assert f"import {py.stem}\n" in init, f"{package}/{py.name}"


def test_icon_exists():
    icon = ADDON_DIR / "static" / "description" / "icon.png"
    assert icon.is_file()
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_readme_fragments():
    for fragment in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md", "CONTRIBUTORS.md"):
        assert (ADDON_DIR / "readme" / fragment).is_file(), fragment


@pytest.mark.parametrize("path", sorted(Path(ADDON_DIR).rglob("*.py")), ids=str)
def test_python_files_parse(path):
    ast.parse(path.read_text())
