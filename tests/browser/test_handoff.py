"""A hand-off that reaches a person: a merchant in the widget and an agent in the console,
two Chromium windows against the whole stack."""

import time
from pathlib import Path
from typing import Iterator, Optional

import pytest
from selenium import webdriver
from selenium.webdriver.remote.webelement import WebElement

from tests.browser.helpers import DeskPage, WidgetPage, chromium, console_errors, named_agent, pretty, wait, within

LIVE = 2.0  # seconds within which each side sees what the other did


@pytest.fixture
def agent_driver(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """The agent's Chromium window, beside the merchant's (`driver`)."""
    browser = chromium(tmp_path / "agent-profile")
    try:
        yield browser
        errors = console_errors(browser)
    finally:
        browser.quit()
    assert not errors, f"the agent's browser console logged errors:\n{pretty(errors)}"


def open_desk(driver, url: str, token: str) -> DeskPage:
    desk = DeskPage(driver, url).load()
    desk.enter(token)
    desk.wait_ready()
    wait(
        driver,
        lambda d: desk.find("inbox-count") and "对话" in d.find_element("id", "inbox-status").text,
        15,
        "the inbox did not load",
    )
    return desk


def showing(desk: DeskPage, sender: str, words: str) -> Optional[WebElement]:
    """The conversation's inbox item once it shows `words`."""
    item = desk.inbox_item(sender)
    return item if item is not None and words in item.text else None


def test_an_agent_takes_over_answers_live_and_hands_back(driver, agent_driver, web_stack, url):
    token, name = named_agent(web_stack, "王芳")
    desk = open_desk(agent_driver, url, token)

    merchant = WidgetPage(driver, url).embed().open()  # a page that knows nothing of the merchant
    wait(driver, lambda d: merchant.transport() == "socket", 10, "socket.io did not connect")
    first = merchant.answer("我们是个体店的授权号 橱窗加不了联盟商品", lambda text: text.startswith(("不能", "可能")))
    assert "个体店" in first and "授权号" in first
    merchant.find("human-button").click()
    merchant.wait_for_bot(lambda text: "人工客服" in text)
    handed_off = time.monotonic()
    session = merchant.session_id()

    item = within(agent_driver, LIVE, lambda d: desk.inbox_item(session), "the hand-off did not reach the inbox")
    print(f"hand-off in the inbox after {time.monotonic() - handed_off:.2f} s")
    assert "转人工" in item.text and "已等待" in item.text
    summary = item.find_element("css selector", '[data-testid="inbox-summary"]').text
    assert "个体店" in summary and "授权号" in summary and "助手已答复" in summary

    item.click()
    suggestion = wait(agent_driver, lambda d: desk.find_all("chat-suggestion"), 15, "no suggested reply")[0]
    assert desk.chat_texts("merchant")[0] == "我们是个体店的授权号 橱窗加不了联盟商品"
    assert suggestion.find_element("css selector", '[data-testid="chat-suggestion-text"]').text.startswith("不能")
    assert suggestion.find_elements("css selector", '[data-testid="chat-clauses"] li')
    desk.find("chat-insert").click()
    box = desk.find("reply-box")
    suggested = box.get_property("value")
    assert suggested.startswith("不能") and "个体店" in suggested
    box.send_keys("\n如还有疑问，请随时告诉我。")
    sent_text = box.get_property("value").strip()
    desk.find("reply-send").click()
    sent = time.monotonic()

    reply = within(driver, LIVE, lambda d: merchant.find_all("agent-message"), "the merchant did not get the reply")
    print(f"agent's reply in the widget after {time.monotonic() - sent:.2f} s")
    assert reply[-1].text == sent_text
    assert merchant.find_all("agent-label")[-1].text == f"人工客服 · {name}"
    wait(agent_driver, lambda d: desk.chat_texts("agent") == [sent_text], 10, "the reply is not in the agent's view")

    desk.find("hand-back").click()
    wait(agent_driver, lambda d: desk.inbox_item(session) is None, 10, "the conversation stayed in the inbox")
    answer = merchant.answer("那直播间呢 能挂联盟商品吗", lambda text: text.startswith(("不能", "可能")))
    assert "个体店" in answer and "授权号" in answer and "直播间" in answer  # the facts established before

    events = web_stack.assistant.tracker(session)["events"]
    [stored] = [e for e in events if e["event"] == "bot" and (e.get("metadata") or {}).get("agent")]
    assert (stored["text"], stored["metadata"]["agent"]) == (sent_text, name)
    assert "resume" in [e["event"] for e in events]


def test_over_rest_the_merchant_is_heard_in_order_and_polls_the_reply(
    driver, agent_driver, web_stack, url, expected_errors
):
    expected_errors.append("/no-socket.io/")
    token, _ = named_agent(web_stack, "李雷")
    desk = open_desk(agent_driver, url, token)
    merchant = WidgetPage(driver, url).embed(socketPath="/no-socket.io", shopType="专营店").open()
    wait(driver, lambda d: merchant.transport() == "rest", 15, "the widget did not fall back to REST")
    merchant.find("human-button").click()
    merchant.wait_for_bot(lambda text: "人工客服" in text)
    session = merchant.session_id()
    waiting = ["第一条：店铺刚开", "第二条：授权号直播间", "第三条：急"]
    for text in waiting:
        merchant.answer(text, lambda reply: "人工客服" in reply)

    item = wait(agent_driver, lambda d: showing(desk, session, "第三条：急"), 10, "the inbox lacks the latest words")
    item.click()
    wait(
        agent_driver, lambda d: desk.chat_texts("merchant")[-3:] == waiting, 10, "the merchant's words are not in order"
    )

    desk.find("reply-box").send_keys("您好，我已收到您的三条消息。")
    desk.find("reply-send").click()
    sent = time.monotonic()
    within(driver, LIVE, lambda d: merchant.find_all("agent-message"), "the polling widget did not get the reply")
    print(f"agent's reply in the polling widget after {time.monotonic() - sent:.2f} s")

    driver.refresh()  # the reply stays, and is not shown twice
    merchant.load().open()
    assert [m.text for m in merchant.find_all("agent-message")] == ["您好，我已收到您的三条消息。"]
