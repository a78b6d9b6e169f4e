"""The merchant chat widget in headless Chromium, against the whole stack.

Answers are checked for the facts the rule gives this merchant; what the widget stores
is checked in the conversation's tracker, read over the Rasa HTTP API.
"""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from actions.answers import TOPICS
from tests.browser.helpers import WidgetPage, emulate_phone, feedback_events, wait

WHEN = TOPICS["ask_when_effective"].title


def test_the_widget_answers_over_socketio_for_the_page_s_merchant(driver, web_stack, url):
    page = WidgetPage(driver, url).load().open()
    welcome = web_stack.assistant.call("GET", "/web/welcome")[1]
    assert page.wait_for_bot(lambda text: text == welcome["text"])
    assert [b.text for b in page.quick_replies()] == [b["title"] for b in welcome["buttons"]]
    wait(driver, lambda d: page.transport() == "socket", 10, "socket.io did not connect")

    # The demo page says 旗舰店 / 授权号 in its script tag: the widget sends it as metadata.
    reply = page.answer("橱窗加不了联盟商品", lambda text: text.startswith(("不能。", "可能已经不能。")))
    assert "旗舰店" in reply and "授权号" in reply and "橱窗" in reply
    assert page.user_texts() == ["橱窗加不了联盟商品"]

    page.quick_reply("查看详细说明").click()
    details = page.wait_for_bot(lambda text: "以上内容出自平台说明" in text)
    assert page.user_texts()[-1] == "查看详细说明"
    assert "巨量百应" in details

    row = page.row_of(reply)
    row.find_element(By.CSS_SELECTOR, '[data-testid="feedback-down"]').click()
    wait(driver, lambda d: "感谢反馈" in row.text, message="the feedback was not confirmed")
    assert row.find_element(By.CSS_SELECTOR, '[data-testid="feedback-down"]').get_attribute("aria-pressed") == "true"

    tracker = web_stack.assistant.tracker(page.session_id())
    [stored] = feedback_events(tracker)
    answered = next(
        e["text"] for e in tracker["events"] if e["event"] == "bot" and e.get("text", "").startswith("不能")
    )
    assert stored["value"] == "down" and stored["text"] == answered and stored["message_index"] == 0
    said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert said[0] == "橱窗加不了联盟商品"
    metadata = [e.get("metadata") for e in tracker["events"] if e["event"] == "user"][0]
    assert {k: metadata.get(k) for k in ("shop_type", "account_role")} == {
        "shop_type": "旗舰店",
        "account_role": "授权号",
    }

    status, unanswered = web_stack.assistant.call(
        "GET", "/assist/unanswered", headers={"Authorization": f"Bearer {web_stack.token}"}
    )
    assert status == 200
    group = next(g for g in unanswered["groups"] if g["text"] == "橱窗加不了联盟商品")
    assert group["reasons"].get("down") and page.session_id() in group["conversations"]


def test_the_conversation_survives_a_page_reload(driver, web_stack, url):
    page = WidgetPage(driver, url).load().open()
    page.wait_for_bot(bool)
    page.answer("什么时候生效的", lambda text: "生效" in text)
    session, shown = page.session_id(), page.bot_texts()

    driver.refresh()
    page.load().open()
    assert page.session_id() == session
    assert page.bot_texts() == shown
    assert page.answer("谢谢", lambda text: "不客气" in text)

    said = [e["text"] for e in web_stack.assistant.tracker(session)["events"] if e["event"] == "user"]
    assert said == ["什么时候生效的", "谢谢"]


def test_quick_replies_send_their_payload_and_the_human_button_hands_off(driver, web_stack, url):
    page = WidgetPage(driver, url).load().open()
    page.quick_reply(WHEN).click()
    reply = page.wait_for_bot(lambda text: "生效" in text)
    assert page.user_texts() == [WHEN]
    assert "旗舰店" in reply and "授权号" in reply

    page.find("human-button").click()
    page.wait_for_bot(lambda text: "人工客服" in text)
    assert page.user_texts()[-1] == "转人工客服"
    tracker = web_stack.assistant.tracker(page.session_id())
    said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert said == ["/ask_when_effective", "/request_human"]
    assert tracker["paused"] is True
    assert WHEN in tracker["slots"]["handoff_summary"]

    status, unanswered = web_stack.assistant.call("GET", f"/assist/unanswered?token={web_stack.token}")
    group = next(g for g in unanswered["groups"] if g["text"] == f"〔按钮〕{WHEN}")
    assert group["reasons"].get("handoff") and page.session_id() in group["conversations"]


def test_messages_are_shown_as_text_and_links_are_safe(driver, web_stack, url):
    page = WidgetPage(driver, url).load().open()
    page.wait_for_bot(bool)
    text = '<img src=x onerror="window.pwned=1"><b>粗体</b> 详见 https://example.com/help?a=1&b=2。'
    before = len(page.bot_texts())
    page.ask(text)
    page.wait_for_bot(bool, after=before)
    assert page.user_texts() == [text]
    assert page.root.find_elements(By.CSS_SELECTOR, ".bubble img, .bubble b") == []
    [link] = page.root.find_elements(By.CSS_SELECTOR, '[data-testid="user-message"] a')
    assert link.get_attribute("href") == "https://example.com/help?a=1&b=2"
    assert set(link.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    assert driver.execute_script("return window.pwned") is None


def test_the_widget_falls_back_to_rest_when_socketio_cannot_connect(driver, web_stack, url, expected_errors):
    expected_errors.append("/no-socket.io/")
    page = WidgetPage(driver, url).embed(socketPath="/no-socket.io", shopType="个体店", accountRole="官方账号").open()
    wait(driver, lambda d: page.transport() == "rest", 15, "the widget did not fall back to REST")
    reply = page.answer("直播间加不了联盟商品", lambda text: "个体店" in text)
    assert "官方账号" in reply and "直播" in reply
    said = [e["text"] for e in web_stack.assistant.tracker(page.session_id())["events"] if e["event"] == "user"]
    assert said == ["直播间加不了联盟商品"]


def test_the_widget_is_usable_by_keyboard_alone(driver, web_stack, url):
    page = WidgetPage(driver, url).load()
    focused = (
        "return document.activeElement.id === 'dy-assistant-widget' ? "
        "document.activeElement.shadowRoot.activeElement.dataset.testid : null"
    )
    for _ in range(30):
        if driver.execute_script(focused) == "chat-launcher":
            break
        ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.execute_script(focused) == "chat-launcher"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, lambda d: d.execute_script(focused) == "chat-input", 10, "the input did not get the focus")
    page.wait_for_bot(bool)

    before = len(page.bot_texts())
    ActionChains(driver).send_keys("你是机器人吗").send_keys(Keys.ENTER).perform()
    assert page.wait_for_bot(lambda text: "不是真人" in text, after=before)
    assert page.user_texts() == ["你是机器人吗"]

    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert driver.execute_script(focused) in {"feedback-down", "feedback-up", "quick-reply"}
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    wait(driver, lambda d: d.execute_script(focused) == "chat-launcher", 10, "Escape did not close the chat")
    assert not page.find("chat-input").is_displayed()

    log = page.root.find_element(By.CSS_SELECTOR, '[role="log"]')
    assert log.get_attribute("aria-live") == "polite"
    assert page.find("chat-input").get_attribute("aria-label")


def test_the_widget_fits_a_360_px_phone_screen(driver, web_stack, url):
    emulate_phone(driver)
    page = WidgetPage(driver, url).load()
    assert driver.execute_script("return window.innerWidth") == 360
    page.open()
    page.answer("个体店授权号 橱窗加不了联盟商品 为什么", lambda text: text.startswith(("不能", "可能")))
    boxes = driver.execute_script(
        "const root = document.getElementById('dy-assistant-widget').shadowRoot;"
        "return [...root.querySelectorAll('.panel, [data-testid]')].filter((e) => e.offsetParent)"
        ".map((e) => [e.dataset.testid || e.className,"
        " e.getBoundingClientRect().left, e.getBoundingClientRect().right]);"
    )
    assert boxes, "nothing is shown"
    overflowing = [box for box in boxes if box[1] < -0.5 or box[2] > 360.5]
    assert not overflowing, overflowing
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 360
    for testid in ("chat-input", "chat-send", "human-button"):
        assert page.find(testid).is_displayed()


def test_the_first_answer_reads_at_a_glance_on_a_360_by_640_phone(driver, web_stack, url):
    """The answer emphasised and read first, the path as steps, the whole answer in view
    without scrolling; its quick replies lead to the reason and the dates."""
    emulate_phone(driver)
    page = WidgetPage(driver, url).load().open()
    assert driver.execute_script("return [window.innerWidth, window.innerHeight]") == [360, 640]
    reply = page.answer("橱窗加不了联盟商品", lambda text: text.startswith("不能。"))
    row = page.row_of(reply)
    assert row.get_attribute("textContent").startswith("助手：不能。")
    verdict = row.find_element(By.CSS_SELECTOR, ".bubble > p.answer > strong")
    assert verdict.text == reply.splitlines()[0]
    steps = row.find_elements(By.CSS_SELECTOR, '[data-testid="path-steps"] li')
    assert [step.text for step in steps] == ["巨量百应", "达人工作台", "橱窗管理"]
    shown, log = driver.execute_script(
        "const [row, log] = arguments; return [row.getBoundingClientRect().toJSON(),"
        " log.getBoundingClientRect().toJSON()];",
        row,
        page.root.find_element(By.CSS_SELECTOR, ".log"),
    )
    assert shown["top"] >= log["top"] - 0.5 and shown["bottom"] <= log["bottom"] + 0.5, (shown, log)

    before = len(page.bot_texts())
    page.quick_reply("为什么").click()
    assert "信任感" in page.wait_for_bot(bool, after=before)
    before = len(page.bot_texts())
    page.quick_reply("什么时候开始的").click()
    assert "2023年12月中旬已全部生效" in page.wait_for_bot(bool, after=before)
    # Over every place the answer names no path: 在哪里操作 leads to each place's.
    page.answer("直播间和短视频还能挂联盟商品吗", lambda text: text.startswith("不能。"))
    before = len(page.bot_texts())
    page.quick_reply("在哪里操作").click()
    assert "短视频管理" in page.wait_for_bot(bool, after=before)
