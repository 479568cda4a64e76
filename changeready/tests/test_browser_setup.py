"""Without Chromium the browser tests fail loudly: CI never counts them as passed or skipped."""

import pytest

from changeready.tests.browser.conftest import require_chromium


def test_a_missing_chromium_fails_the_browser_tests(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="Chromium is not installed at"):
        require_chromium(str(tmp_path / "chromium"))


def test_a_file_that_cannot_run_is_no_chromium(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("")
    fake.chmod(0o644)
    with pytest.raises(pytest.fail.Exception):
        require_chromium(str(fake))


def test_an_executable_is_accepted(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    require_chromium(str(fake))
