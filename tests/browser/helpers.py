"""Headless Chromium and the pages as a person sees them, for the browser tests and
scripts/screenshots.py."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from rasa.utils.endpoints import EndpointConfig
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from channels.web.guards import SHARED_AGENT
from scripts.stack import ROOT, Assistant
from stores.records import RecordsBroker, engine_for

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
BUNDLES = ROOT / "build" / "web"
PHONE = {"width": 360, "height": 640, "deviceScaleFactor": 2, "mobile": True}


def check_bundles() -> None:
    missing = [name for name in ("widget.js", "console.js", "console.css", "demo.css") if not (BUNDLES / name).exists()]
    if missing:
        raise FileNotFoundError(f"no {', '.join(missing)} in {BUNDLES}: run `make web`")


class RunningStack:
    """A stack started elsewhere (e.g. `make run`), named by ASSISTANT_TEST_URL and ASSISTANT_TOKEN."""

    def __init__(self, url: str, token: str) -> None:
        self.token = token
        self.assistant = Assistant(url.rstrip("/"), token, os.environ.get("ASSISTANT_SESSION_KEY", ""))


def chromium(profile: Path, width: int = 1280, height: int = 900) -> webdriver.Chrome:
    """Headless Chromium with a fresh profile, keeping the browser console's log."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    return driver


def emulate_phone(driver: webdriver.Chrome) -> None:
    """A 360-px-wide phone screen (viewport, touch, device pixel ratio)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})


def wait(driver: webdriver.Chrome, condition: Callable[[Any], Any], seconds: float = 30, message: str = "") -> Any:
    """`condition`'s first truthy value; elements replaced while looking are looked at again."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(
        condition, message
    )


def console_errors(driver: webdriver.Chrome, allowed: List[str] = ()) -> List[Dict[str, Any]]:
    """SEVERE entries of the browser console, except those naming an `allowed` string."""
    return [
        entry
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not any(text in entry["message"] for text in allowed)
    ]


class WidgetPage:
    """The chat widget on a page, inside its shadow root."""

    def __init__(self, driver: webdriver.Chrome, url: str) -> None:
        self.driver = driver
        self.url = url

    def load(self, path: str = "/web/demo") -> "WidgetPage":
        self.driver.get(self.url + path)
        wait(self.driver, lambda d: d.find_elements(By.ID, "dy-assistant-widget"), message="the widget did not load")
        return self

    def embed(self, **data: str) -> "WidgetPage":
        """Loads the plain index page and embeds the widget with one script tag and `data`."""
        self.driver.get(self.url + "/web/")
        self.driver.execute_script(
            "const s = document.createElement('script'); s.src = '/web/static/widget.js';"
            "Object.assign(s.dataset, arguments[0]); document.body.append(s);",
            data,
        )
        wait(self.driver, lambda d: d.find_elements(By.ID, "dy-assistant-widget"), message="the widget did not load")
        return self

    @property
    def root(self) -> Any:
        return self.driver.find_element(By.ID, "dy-assistant-widget").shadow_root

    def find(self, testid: str) -> WebElement:
        return self.root.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def find_all(self, testid: str) -> List[WebElement]:
        return self.root.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def open(self) -> "WidgetPage":
        self.find("chat-launcher").click()
        wait(self.driver, lambda d: self.find("chat-input").is_displayed(), message="the chat did not open")
        return self

    def transport(self) -> Optional[str]:
        return self.driver.find_element(By.ID, "dy-assistant-widget").get_attribute("data-transport")

    def bot_texts(self) -> List[str]:
        return [element.text for element in self.find_all("bot-message")]

    def user_texts(self) -> List[str]:
        return [element.text for element in self.find_all("user-message")]

    def ask(self, text: str) -> None:
        field = self.find("chat-input")
        field.send_keys(text)
        self.find("chat-send").click()

    def wait_for_bot(self, predicate: Callable[[str], bool], after: int = 0, seconds: float = 45) -> str:
        """The first bot message after the first `after` ones for which `predicate` holds."""

        def found(_: Any) -> Optional[str]:
            return next((text for text in self.bot_texts()[after:] if predicate(text)), None)

        try:
            return wait(self.driver, found, seconds)
        except TimeoutException:
            raise AssertionError(f"no bot message as expected; got {self.bot_texts()[after:]}") from None

    def answer(self, text: str, predicate: Callable[[str], bool] = bool) -> str:
        """Asks `text` and returns the reply that satisfies `predicate`."""
        before = len(self.bot_texts())
        self.ask(text)
        return self.wait_for_bot(predicate, after=before)

    def quick_replies(self) -> List[WebElement]:
        return [button for button in self.find_all("quick-reply") if button.is_enabled()]

    def quick_reply(self, title: str) -> WebElement:
        return wait(
            self.driver,
            lambda d: next((b for b in self.quick_replies() if b.text == title), None),
            message=f"no quick reply {title!r}",
        )

    def rows(self) -> List[WebElement]:
        return self.root.find_elements(By.CSS_SELECTOR, ".row.bot")

    def row_of(self, text: str) -> WebElement:
        """The bot message row (bubble, quick replies, 👍/👎) whose text is `text`."""
        for row in self.rows():
            if row.find_element(By.CSS_SELECTOR, '[data-testid="bot-message"]').text == text:
                return row
        raise AssertionError(f"no bot message {text!r}")

    def local_storage(self, suffix: str) -> Any:
        return self.driver.execute_script(
            "const key = Object.keys(localStorage).find((k) => k.endsWith(arguments[0]));"
            "return key ? JSON.parse(localStorage.getItem(key)) : null;",
            suffix,
        )

    def session_id(self) -> str:
        """The conversation id of the session the widget keeps (with its token)."""
        return (self.local_storage(":session") or {}).get("id", "")


class ConsolePage:
    """The agent console."""

    def __init__(self, driver: webdriver.Chrome, url: str) -> None:
        self.driver = driver
        self.url = url

    def load(self) -> "ConsolePage":
        self.driver.get(self.url + "/web/console")
        return self

    def find(self, testid: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def find_all(self, testid: str) -> List[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def enter(self, token: str) -> None:
        wait(self.driver, lambda d: self.find("token-input").is_displayed(), message="no token form")
        self.find("token-input").send_keys(token)
        self.find("token-submit").click()

    def wait_ready(self) -> None:
        wait(self.driver, lambda d: self.find("assist-input").is_displayed(), message="the console did not open")
        wait(self.driver, lambda d: len(Select(self.find("assist-shop_type")).options) > 1, message="no shop types")

    def suggest(self, text: str, shop_type: str = "", account_role: str = "") -> str:
        """Asks for a suggestion; returns the reply shown (chosen labels select the profile)."""
        previous = self.reply_or_none()
        previous_id = previous.id if previous else None
        field = self.find("assist-input")
        field.clear()
        field.send_keys(text)
        Select(self.find("assist-shop_type")).select_by_visible_text(shop_type or "不指定（按商家原话）")
        Select(self.find("assist-account_role")).select_by_visible_text(account_role or "不指定（按商家原话）")
        self.find("assist-submit").click()
        return wait(
            self.driver,
            lambda d: self._new_reply(previous_id),
            message="no suggested reply",
        )

    def _new_reply(self, previous_id: Optional[str]) -> Optional[str]:
        current = self.reply_or_none()
        return current.get_property("value") if current and current.id != previous_id else None

    def reply_or_none(self) -> Optional[WebElement]:
        found = self.find_all("assist-reply")
        return found[0] if found else None

    def groups(self) -> List[Dict[str, str]]:
        return [
            {
                "text": group.find_element(By.CSS_SELECTOR, '[data-testid="unanswered-text"]').text,
                "count": group.find_element(By.CSS_SELECTOR, ".count").text,
                "meta": group.find_element(By.CSS_SELECTOR, ".meta").text,
            }
            for group in self.find_all("unanswered-group")
        ]


def feedback_events(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The values the feedback slot was set to, in order."""
    return [e["value"] for e in tracker["events"] if e.get("event") == "slot" and e.get("name") == "feedback"]


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def settle(seconds: float = 0.3) -> None:
    """A moment for an animation or a scroll to finish before a screenshot."""
    time.sleep(seconds)


class DeskPage(ConsolePage):
    """The console's desk: the inbox and one conversation."""

    def inbox_item(self, sender: str) -> Optional[WebElement]:
        found = self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="inbox-item"][data-sender="{sender}"]')
        return found[0] if found else None

    def chat_texts(self, role: str) -> List[str]:
        """The texts of the open conversation's messages of `role` (merchant, assistant, agent)."""
        rows = self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="chat-{role}"] [data-testid="chat-text"]')
        return [row.text for row in rows]


def named_agent(stack: Any, name: str) -> Tuple[str, str]:
    """(token, name) of an agent created as `make agent` does, in the stack's database; the
    shared token's agent for a stack started elsewhere (ASSISTANT_TEST_URL, --url)."""
    if not hasattr(stack, "env"):
        return stack.token, SHARED_AGENT
    config = EndpointConfig(dialect="sqlite", db=stack.env["ASSISTANT_SQLITE_PATH"])
    return RecordsBroker(engine_for(config)).add_agent(name), name


def within(driver: webdriver.Chrome, seconds: float, condition: Callable[[Any], Any], message: str) -> Any:
    """`condition`'s first truthy value within `seconds`, looked for every 50 ms."""
    return WebDriverWait(
        driver, seconds, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)
    ).until(condition, message)
