"""The whole stack with the web channel, and a fresh headless Chromium for each test.

A test fails when the browser console logged an error (unless the test expects it).
"""

import os
from typing import Iterator, List

import pytest
from selenium import webdriver

from scripts.stack import Stack
from tests.browser.helpers import RunningStack, check_bundles, chromium, console_errors, pretty


@pytest.fixture(scope="session")
def web_stack(request) -> Iterator[Stack]:
    """The servers of tests/conftest.py (whose credentials.yml serves the web channel).

    ASSISTANT_TEST_URL (with ASSISTANT_TOKEN) runs the tests against servers already running.
    """
    if os.environ.get("ASSISTANT_TEST_URL"):
        yield RunningStack(os.environ["ASSISTANT_TEST_URL"], os.environ.get("ASSISTANT_TOKEN", ""))
        return
    try:
        check_bundles()
    except FileNotFoundError as error:
        pytest.fail(str(error))
    yield request.getfixturevalue("stack")


@pytest.fixture
def url(web_stack: Stack) -> str:
    return web_stack.assistant.url


class ExpectedErrors(list):
    """Strings naming console errors a test expects (e.g. a socket path it breaks on purpose)."""


@pytest.fixture
def expected_errors() -> List[str]:
    return ExpectedErrors()


@pytest.fixture
def driver(tmp_path, expected_errors) -> Iterator[webdriver.Chrome]:
    browser = chromium(tmp_path / "profile")
    try:
        yield browser
        errors = console_errors(browser, expected_errors)
    finally:
        browser.quit()
    assert not errors, f"the browser console logged errors:\n{pretty(errors)}"
