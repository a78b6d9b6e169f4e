"""Screenshots of the chat widget and the agent console, at desktop and phone width.

    .venv/bin/python scripts/screenshots.py [--url http://localhost:5005 --token TOKEN] [--out screenshots]

Without --url it starts the servers itself on free ports (as the tests do). It holds a
short conversation in the widget and asks the console for a suggestion, then writes
widget-*.png, console-*.png and dashboard-*.png (the console's 数据统计; desktop 1280 px,
phone 360 px) into --out; then the
agent's desk: inbox-desktop.png (conversations waiting for a person), conversation-desktop.png
(one of them, with the suggested reply put in the reply box) and widget-agent-phone.png (a
merchant's widget with an agent's reply).
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.by import By  # noqa: E402

from scripts.stack import Stack  # noqa: E402
from tests.browser.helpers import (  # noqa: E402  (the project root is on the path only now)
    ConsolePage,
    DeskPage,
    RunningStack,
    WidgetPage,
    check_bundles,
    chromium,
    emulate_phone,
    named_agent,
    settle,
    wait,
)

SIZES = {"desktop": (1280, 860), "phone": (360, 640)}


@contextmanager
def servers(url: str | None, token: str | None, workdir: Path) -> Iterator[Any]:
    if url:
        yield RunningStack(url, token or os.environ.get("ASSISTANT_TOKEN", ""))
        return
    print("==> starting the action server and the Rasa server (about a minute)")
    stack = Stack(workdir)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def seed(stack: Any) -> None:
    """A few conversations the assistant could not answer, for the maintainer view."""
    for text in ("这啥情况", "这啥情况？", "能开发票吗"):
        stack.assistant.say(f"seed-{uuid.uuid4().hex}", text)
    sender = f"seed-{uuid.uuid4().hex}"
    stack.assistant.say(sender, "店铺保证金怎么退")
    stack.assistant.say(sender, "转人工")


def widget(driver: Any, url: str, out: Path, size: str) -> None:
    page = WidgetPage(driver, url).load()
    if size == "desktop":
        settle()
        save(driver, out / "demo-desktop.png")
    page.open()
    page.wait_for_bot(bool)
    page.answer("橱窗加不了联盟商品", lambda text: "不能" in text)
    settle(0.8)
    save(driver, out / f"widget-{size}.png")


def console(driver: Any, url: str, token: str, out: Path, size: str) -> None:
    page = ConsolePage(driver, url).load()
    page.enter(token)
    page.wait_ready()
    page.suggest("我们是个体店的授权号 橱窗加不了联盟商品，提示您的店铺类型暂不支持添加联盟商品")
    settle(0.8)
    save(driver, out / f"console-{size}.png", full_page=True)
    dashboard = page.find("stats")
    wait(driver, lambda d: dashboard.find_elements(By.TAG_NAME, "canvas"), message="no chart on the dashboard")
    driver.execute_script("arguments[0].scrollIntoView()", dashboard)
    settle(0.5)
    dashboard.screenshot(str(out / f"dashboard-{size}.png"))
    print(f"    dashboard-{size}.png")


def desk(driver: Any, stack: Any, out: Path) -> None:
    """Two merchants waiting for a person, and the agent's desk with one of them open."""
    merchant = f"shot-{uuid.uuid4().hex}"
    for text in ("我们是个体店的授权号 橱窗加不了联盟商品", "转人工", "麻烦快一点，店里急着上架"):
        stack.assistant.say(merchant, text)
    other = f"shot-{uuid.uuid4().hex}"
    for index, text in enumerate(("什么时候生效", "上限是多少")):  # 👎 twice
        answer = stack.assistant.say(other, text)[0]["text"]
        rating = {"sender": other, "value": "down", "text": answer, "message_index": index}
        stack.assistant.call("POST", "/web/feedback", rating, stack.assistant.trusted)
    token, _ = named_agent(stack, "王芳")
    page = DeskPage(driver, stack.assistant.url).load()
    driver.execute_script("sessionStorage.clear()")  # the console signed in with the shared token
    page.load().enter(token)
    page.wait_ready()
    item = wait(driver, lambda d: page.inbox_item(merchant), message="no hand-off in the inbox")
    settle(0.8)
    save(driver, out / "inbox-desktop.png")
    item.click()
    wait(driver, lambda d: page.find_all("chat-suggestion"), message="no suggested reply")
    page.find("chat-insert").click()
    page.find("reply-box").send_keys("\n如还有疑问，请随时告诉我。")
    driver.execute_script("document.activeElement.blur()")
    settle(0.8)
    save(driver, out / "conversation-desktop.png", full_page=True)


def agent_reply(driver: Any, stack: Any, out: Path) -> None:
    """A merchant who asked for a person, and the agent's reply in the widget."""
    page = WidgetPage(driver, stack.assistant.url).load().open()
    page.answer("橱窗加不了联盟商品", lambda text: "不能" in text)
    page.find("human-button").click()
    page.wait_for_bot(lambda text: "人工客服" in text)
    token, _ = named_agent(stack, "王芳")
    text = "您好，我是客服王芳。旗舰店的授权号在橱窗只能添加本店商品，您可以改为添加本店商品，有问题随时找我。"
    path = f"/assist/conversations/{page.session_id()}/reply"
    stack.assistant.call("POST", path, {"text": text}, headers={"Authorization": f"Bearer {token}"})
    wait(driver, lambda d: page.find_all("agent-message"), message="no agent reply in the widget")
    settle(0.8)
    save(driver, out / "widget-agent-phone.png")


def save(driver: Any, path: Path, full_page: bool = False) -> None:
    """The viewport, or the whole page, as a PNG."""
    if full_page:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "captureBeyondViewport": True,
                "clip": {**{k: metrics[k] for k in ("x", "y", "width", "height")}, "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    print(f"    {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running Rasa server with the web channel (default: start one)")
    parser.add_argument("--token", help="its ASSISTANT_TOKEN (default: $ASSISTANT_TOKEN)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    check_bundles()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as temp, servers(args.url, args.token, Path(temp)) as stack:
        seed(stack)
        print(f"==> screenshots of {stack.assistant.url} into {args.out}")
        for size, (width, height) in SIZES.items():
            driver = chromium(Path(temp) / f"profile-{size}", width, height)
            try:
                if size == "phone":
                    emulate_phone(driver)
                widget(driver, stack.assistant.url, args.out, size)
                console(driver, stack.assistant.url, stack.token, args.out, size)
                (desk if size == "desktop" else agent_reply)(driver, stack, args.out)
            finally:
                driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
