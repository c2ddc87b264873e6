"""pytest rules of the project, on top of pytest-odoo.

- A skipped test is a failure: browser tours skip silently when Chromium or
  websocket-client is missing, and pytest-odoo skips every HttpCase without
  --odoo-http; we want to know.
- Like the OCA's checklog, a WARNING or ERROR logged while the tests run
  fails the session (tests that provoke an error on purpose silence it with
  odoo.tools.mute_logger).
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


def pytest_sessionfinish(session, exitstatus):
    if _collector.records:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = [
            f"{record.levelname} {record.name}: {record.getMessage()}"
            for record in _collector.records
        ]
        if reporter:
            reporter.write_sep("=", "warnings/errors logged during the tests")
            for line in lines:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
