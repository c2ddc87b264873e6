"""pytest rules of the project, on top of pytest-odoo.

- A skipped test is a failure: browser tours skip silently when Chromium or
  websocket-client is missing, and pytest-odoo skips every HttpCase without
  --odoo-http; we want to know.
- Like the OCA's checklog, a WARNING or ERROR logged while a test runs fails
  that test (tests that provoke an error on purpose silence it with
  odoo.tools.mute_logger), and one logged outside any test fails the session.
"""

import logging

import pytest

from odoo.tools import config

# pytest-odoo imports Odoo's test framework before it turns test mode on, and
# Odoo logs an ERROR for an import outside test mode. Import it here, in test
# mode, first. (Turning test_enable on for the whole session instead would
# make the registry run every installed module's at_install tests.)
config["test_enable"] = True
import odoo.tests  # noqa: E402, F401

config["test_enable"] = False


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def take(self):
        records, self.records = self.records, []
        return [f"{r.levelname} {r.name}: {r.getMessage()}" for r in records]


_collector = _Collector()


def pytest_configure(config):
    logging.getLogger().addHandler(_collector)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Skipped tests count as failures here: {report.longrepr}"
    logged = _collector.take()
    if logged and report.outcome != "failed":
        report.outcome = "failed"
        report.longrepr = "Warnings/errors were logged:\n" + "\n".join(logged)


def pytest_sessionfinish(session, exitstatus):
    logged = _collector.take()
    if logged:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_sep("=", "warnings/errors logged outside the tests")
            for line in logged:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
