"""Integration tests: suites that drive a running Odoo server or the harness."""

import sys


def pytest_terminal_summary(terminalreporter):
    # the security suite's totals, just above pytest's own summary line
    for module in list(sys.modules.values()):
        summary = getattr(module, "attacks_summary", None)
        if callable(summary) and module.__name__.endswith("test_security_attacks"):
            terminalreporter.write_line(summary())
