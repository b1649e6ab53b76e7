"""Odoo-free tests: they load the addon's pure modules by path, never importing odoo."""

import importlib.util
import sys
from pathlib import Path

import pytest

ADDON_DIR = Path(__file__).resolve().parent.parent / "logistics_crm"


def load_logic_module(name):
    path = ADDON_DIR / "logic" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"logistics_crm_logic_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def addon_dir():
    return ADDON_DIR


def pytest_terminal_summary(terminalreporter):
    # the security suite's totals (tests/integration), above pytest's own summary line
    for name, module in list(sys.modules.items()):
        if name.endswith("test_security_attacks") and module.TALLY.tried:
            terminalreporter.write_line(module.attacks_summary())
