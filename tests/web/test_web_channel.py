"""The web channel's routes: pages, bundles, welcome, feedback, the agent routes.

Every malformed request gets a 400 with a JSON error, never a 500.
"""

import datetime as dt
import functools
import time
from typing import Any, Dict, List

import pytest
from limits.storage import MemoryStorage
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.actions import HUMAN_BUTTON, MAIN_TOPICS
from actions.answers import TOPICS
from actions.policy import load_policy
from channels.web import agent as web_agent
from channels.web import pages
from channels.web.throttle import Throttle
from tests.web.conftest import TOKEN, merchant, parse, run

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def conversation(agent, sender: str, events: List[Any]) -> None:
    tracker = DialogueStateTracker.from_events(sender, events, slots=agent.domain.slots)
    run(agent.tracker_store.save(tracker))


def user(text: str, intent: str, at: float) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=at)


def bot(text: str, at: float) -> BotUttered:
    return BotUttered(text, timestamp=at)


# --- pages and bundles -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/web", "/web/", "/web/demo", "/web/console"])
def test_pages_are_html_with_a_content_security_policy(client, path):
    status, headers, body = client.get(path)
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in headers["content-security-policy"]
    assert b'lang="zh-CN"' in body


def test_the_demo_page_embeds_the_widget_with_one_script_tag(client):
    _, _, body = client.get("/web/demo")
    page = body.decode()
    assert page.count("<script") == 1
    assert 'src="/web/static/widget.js"' in page


@pytest.mark.parametrize(
    "name, content_type",
    [("widget.js", "text/javascript"), ("console.css", "text/css"), ("widget.js.map", "application/json")],
)
def test_bundles_are_served_with_their_content_type(client, tmp_path, monkeypatch, name, content_type):
    monkeypatch.setenv("ASSISTANT_SOURCE_MAPS", "1")
    (tmp_path / name).write_text("/* bundle */")
    monkeypatch.setattr(pages, "STATIC", tmp_path)
    status, headers, body = client.get(f"/web/static/{name}")
    assert status == 200
    assert headers["content-type"].startswith(content_type)
    assert body == b"/* bundle */"


def test_source_maps_are_not_served_unless_debugging(client, tmp_path, monkeypatch):
    monkeypatch.delenv("ASSISTANT_SOURCE_MAPS", raising=False)
    (tmp_path / "widget.js.map").write_text('{"sources": ["widget.js"]}')
    monkeypatch.setattr(pages, "STATIC", tmp_path)
    assert client.get("/web/static/widget.js.map")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/web/static/..%2F..%2Fchannels%2Fweb%2F__init__.py",
        "/web/static/..%2Fsecret.js",
        "/web/static/%2Fetc%2Fpasswd",
        "/web/static/.hidden.js",
        "/web/static/notes.txt",
        "/web/static/missing.js",
    ],
)
def test_nothing_outside_the_bundles_is_served(client, tmp_path, monkeypatch, path):
    (tmp_path / "widget.js").write_text("")
    (tmp_path.parent / "secret.js").write_text("secret")
    monkeypatch.setattr(pages, "STATIC", tmp_path)
    status, _, body = client.get(path)
    assert status == 404
    assert "error" in body


@pytest.mark.parametrize("name", ["../secret.js", "a/b.js", "..", "x.exe", "", "widget.js\x00.js"])
def test_static_file_refuses_anything_but_a_plain_known_name(tmp_path, name):
    (tmp_path / "widget.js").write_text("")
    assert pages.static_file(name, tmp_path) is None
    assert pages.static_file("widget.js", tmp_path) == (tmp_path / "widget.js").resolve()


# --- welcome -------------------------------------------------------------------------


def test_welcome_greets_and_offers_the_most_asked_questions(client, agent):
    status, _, body = client.get("/web/welcome")
    assert status == 200
    assert body["text"] == agent.domain.responses["utter_greet"][0]["text"]
    assert [b["title"] for b in body["buttons"]] == [TOPICS[q].title for q in MAIN_TOPICS]
    assert [b["payload"] for b in body["buttons"]] == [f"/{q}" for q in MAIN_TOPICS]
    assert body["human"] == HUMAN_BUTTON


# --- feedback ------------------------------------------------------------------------

GOOD_FEEDBACK = {"sender": "merchant-1", "value": "down", "text": "不能。…", "message_index": 2}


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'"text"',
        b"",
    ],
)
def test_feedback_refuses_a_body_that_is_not_a_json_object(client, agent, raw):
    status, _, body = client.post("/web/feedback", raw=raw, headers=merchant("merchant-1"))
    assert status == 400
    assert body["error"]


@pytest.mark.parametrize(
    "change",
    [
        {"sender": None},
        {"sender": ""},
        {"sender": 12},
        {"sender": "x" * 500},
        {"value": "meh"},
        {"value": None},
        {"value": True},
        {"text": None},
        {"text": "   "},
        {"text": ["a"]},
        {"message_index": None},
        {"message_index": "2"},
        {"message_index": -1},
        {"message_index": 1.5},
        {"message_index": True},
    ],
)
def test_feedback_refuses_wrong_fields(client, agent, change):
    status, _, body = client.post("/web/feedback", {**GOOD_FEEDBACK, **change}, headers=merchant("merchant-1"))
    assert status == 400, body
    assert body["error"]


def test_feedback_for_an_unknown_conversation_is_not_found(client, agent):
    status, _, body = client.post("/web/feedback", GOOD_FEEDBACK, headers=merchant("merchant-1"))
    assert status == 404
    assert agent.parsed == []
    assert list(run(agent.tracker_store.keys())) == []


def test_feedback_past_the_client_s_rate_limit_is_told_when_to_retry(server, agent, monkeypatch):
    client, app = server
    monkeypatch.setenv("ASSISTANT_RATE_PER_CLIENT", "1/minute")
    monkeypatch.setattr(app.ctx, "throttle", Throttle(MemoryStorage()))
    assert client.post("/web/feedback", GOOD_FEEDBACK, headers=merchant("merchant-1"))[0] == 404
    status, headers, body = client.post("/web/feedback", GOOD_FEEDBACK, headers=merchant("merchant-1"))
    assert status == 429 and 1 <= int(headers["retry-after"]) <= 60 and body["retry_after"] == int(headers["retry-after"])


def test_feedback_is_stored_in_the_conversation_as_the_feedback_slot(client, agent):
    conversation(agent, "merchant-1", [user("橱窗加不了联盟商品", "ask_why_cannot_add", 1.0), bot("不能。…", 2.0)])
    before = time.time()
    status, _, body = client.post("/web/feedback", GOOD_FEEDBACK, headers=merchant("merchant-1"))
    assert status == 200, body
    tracker = run(agent.tracker_store.retrieve("merchant-1"))
    stored = tracker.get_slot("feedback")
    assert {k: stored[k] for k in ("value", "text", "message_index")} == {
        "value": "down",
        "text": "不能。…",
        "message_index": 2,
    }
    assert before <= stored["timestamp"] <= time.time()
    assert isinstance(tracker.events[-1], SlotSet) and tracker.events[-1].key == "feedback"


def test_feedback_from_a_page_of_another_origin_is_refused(client, agent, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ALLOWED_ORIGINS", "https://fxg.jinritemai.com")
    conversation(agent, "merchant-1", [bot("不能。…", 2.0)])
    status, _, _ = client.post("/web/feedback", GOOD_FEEDBACK, headers={"Origin": "https://evil.example", **merchant("merchant-1")})
    assert status == 403
    status, _, _ = client.post("/web/feedback", GOOD_FEEDBACK, headers={"Origin": "https://fxg.jinritemai.com", **merchant("merchant-1")})
    assert status == 200


# --- tokens --------------------------------------------------------------------------

AGENT_ROUTES = [("GET", "/assist/vocabulary"), ("POST", "/assist/suggest"), ("GET", "/assist/unanswered")]


@pytest.mark.parametrize("method, path", AGENT_ROUTES)
@pytest.mark.parametrize("value", [None, ""])
def test_agent_routes_are_off_without_a_server_token(client, agent, monkeypatch, method, path, value):
    if value is None:
        monkeypatch.delenv("ASSISTANT_TOKEN", raising=False)
    else:
        monkeypatch.setenv("ASSISTANT_TOKEN", value)
    status, _, body = client.call(method, path, {"text": "你好"}, headers=AUTH)
    assert status == 503
    assert "ASSISTANT_TOKEN" in body["error"]


@pytest.mark.parametrize("method, path", AGENT_ROUTES)
@pytest.mark.parametrize(
    "headers, query",
    [
        ({}, ""),
        ({"Authorization": "Bearer wrong"}, ""),
        ({"Authorization": f"Basic {TOKEN}"}, ""),
        ({"Authorization": "Bearer "}, ""),
        ({"Authorization": f"Bearer {TOKEN}x"}, ""),
        ({}, "?token=wrong"),
        ({}, "?token=%E4%B8%8D%E5%AF%B9"),  # non-ASCII: compared as bytes, no error
        ({}, "?token="),
    ],
)
def test_agent_routes_refuse_a_missing_or_wrong_token(client, agent, token, method, path, headers, query):
    status, response_headers, body = client.call(method, path + query, {"text": "你好"}, headers=headers)
    assert status == 401
    assert body["error"]
    assert response_headers.get("www-authenticate") == "Bearer"


@pytest.mark.parametrize("method, path", AGENT_ROUTES)
@pytest.mark.parametrize(
    "headers, query",
    [(AUTH, ""), ({"Authorization": f"bearer {TOKEN}"}, ""), ({}, f"?token={TOKEN}")],
)
def test_agent_routes_accept_the_token_in_the_header_or_the_query(client, agent, token, method, path, headers, query):
    status, _, body = client.call(method, path + query, {"text": "你好"}, headers=headers)
    assert status == 200, body


def test_vocabulary_lists_shop_types_and_roles_with_labels(client, agent, token):
    _, _, body = client.get("/assist/vocabulary", headers=AUTH)
    policy = load_policy()
    by_name = {item["name"]: item for item in body["inputs"]}
    assert set(by_name) == {"shop_type", "account_role"}
    assert by_name["shop_type"]["label"] == "店铺类型"
    assert [v["id"] for v in by_name["shop_type"]["values"]] == list(policy.vocabulary["shop_type"])
    assert {"id": "authorized", "label": "授权号"} in by_name["account_role"]["values"]


# --- suggest ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"null",
        b'["text"]',
        b'{"text": 5}',
        b'{"text": ""}',
        b'{"text": "  "}',
        b"{}",
        b'{"text": "hi", "shop_type": 3}',
        b'{"text": "hi", "account_role": ["\\u6388\\u6743\\u53f7"]}',
        ('{"text": "%s"}' % ("长" * 5001)).encode(),
    ],
)
def test_suggest_refuses_bad_input(client, agent, token, raw):
    status, _, body = client.post("/assist/suggest", raw=raw, headers=AUTH)
    assert status == 400, body
    assert body["error"]
    assert agent.parsed == []


def suggest(client, agent, text: str, parsed: Dict[str, Any], **profile: str) -> Dict[str, Any]:
    agent.parses[text] = parsed
    status, _, body = client.post("/assist/suggest", {"text": text, **profile}, headers=AUTH)
    assert status == 200, body
    return body


def test_suggest_answers_for_the_chosen_profile_and_quotes_the_clauses(client, agent, token):
    text = "橱窗加不了联盟商品"
    body = suggest(
        client,
        agent,
        text,
        parse(text, "ask_why_cannot_add", 0.97, [("scene", "橱窗")]),
        shop_type="旗舰店",
        account_role="授权号",
    )
    assert body["intent"] == {
        "name": "ask_why_cannot_add",
        "confidence": 0.97,
        "title": TOPICS["ask_why_cannot_add"].title,
    }
    assert body["reply"]["text"].startswith("不能。")
    assert "旗舰店" in body["reply"]["text"] and "授权号" in body["reply"]["text"] and "橱窗" in body["reply"]["text"]
    assert body["reply"]["missing"] == []
    assert body["reply"]["details"]
    quotes = load_policy().clauses
    assert body["clauses"] and all(c["quote"] == quotes[c["id"]] for c in body["clauses"])
    assert {"二/3", "六/Q1/答"} <= {c["id"] for c in body["clauses"]}
    assert body["facts"]["shop_type"]["label"] == "旗舰店"
    assert body["alternatives"] == []


def test_what_the_message_says_wins_over_the_chosen_profile(client, agent, token):
    text = "我们是跨境店 直播间能带别人家的货吗"
    body = suggest(
        client,
        agent,
        text,
        parse(text, "ask_why_cannot_add", 0.9, [("shop_type", "跨境店"), ("scene", "直播间")]),
        shop_type="旗舰店",
        account_role="官方账号",
    )
    assert body["reply"]["text"].startswith("能。")
    assert "跨境店不受这条规则限制" in body["reply"]["text"]
    assert body["facts"]["shop_type"]["id"] == "cross_border"


def unknown_shop(client, agent, account_role):
    """A suggestion for a message and a chosen profile that both name an unknown shop type."""
    text = "直播间加不了联盟商品"
    parsed = parse(text, "ask_why_cannot_add", 0.9, [("scene", "直播间"), ("shop_type", "火星店")])
    return suggest(client, agent, text, parsed, shop_type="不存在的店", account_role=account_role)


def test_unknown_values_are_ignored_and_an_open_exemption_is_named(client, agent, token):
    body = unknown_shop(client, agent, "授权号")
    assert body["reply"]["text"].startswith("不能。您的授权号在直播间")
    assert "跨境店不受这条规则限制" in body["reply"]["text"] and body["reply"]["missing"] == []


def test_an_input_that_changes_what_one_can_do_is_named_as_missing(client, agent, token, monkeypatch):
    # In late November 2023 a 旗舰店 official account was bound and a 个体店 one in test.
    monkeypatch.setattr(web_agent, "take_turn", functools.partial(web_agent.take_turn, as_of=dt.date(2023, 11, 25)))
    body = unknown_shop(client, agent, "官方账号")
    assert [m["name"] for m in body["reply"]["missing"]] == ["shop_type"]
    assert body["reply"]["missing"][0]["label"] == "店铺类型"
    assert "旗舰店" in body["reply"]["missing"][0]["options"]
    assert "店铺类型" in body["reply"]["text"]
    assert body["clauses"] == []


def test_a_pasted_error_message_names_the_scene(client, agent, token):
    text = "累计添加联盟商品数已达上限,请添加您店铺的商品喔~"
    parsed = parse(text, "report_error_message", 0.99, entities=[("error", "live_limit")])
    body = suggest(client, agent, text, parsed, shop_type="企业店", account_role="官方账号")
    assert body["facts"]["scene"]["id"] in {"live_before", "live_during"}
    assert body["reply"]["missing"] == []


def test_a_message_that_is_no_rule_question_says_so(client, agent, token):
    body = suggest(client, agent, "你好呀", parse("你好呀", "greet", 0.99))
    assert "不是关于这条规则的问题" in body["reply"]["text"]
    assert body["intent"]["title"] == "打招呼"
    assert body["clauses"] == [] and body["alternatives"] == []


def test_a_fallback_offers_the_likeliest_questions_with_their_replies(client, agent, token):
    text = "这个到底咋回事啊"
    ranking = [
        ("nlu_fallback", 0.55),
        ("ask_when_effective", 0.4),
        ("greet", 0.3),
        ("ask_rule_reason", 0.2),
        ("ask_who_is_affected", 0.1),
        ("ask_limit_quota", 0.05),
    ]
    body = suggest(
        client,
        agent,
        text,
        parse(text, "nlu_fallback", 0.55, ranking=ranking),
        shop_type="旗舰店",
        account_role="官方账号",
    )
    assert body["intent"]["name"] == "nlu_fallback"
    assert "没有把握" in body["reply"]["text"]
    assert [a["intent"] for a in body["alternatives"]] == [
        "ask_when_effective",
        "ask_rule_reason",
        "ask_who_is_affected",
    ]
    first = body["alternatives"][0]
    assert first["title"] == TOPICS["ask_when_effective"].title
    assert "已经生效" in first["reply"]["text"]
    assert first["clauses"][0]["quote"] == load_policy().clauses[first["clauses"][0]["id"]]


def test_two_close_question_types_are_both_offered(client, agent, token):
    text = "什么时候能再加联盟的货"
    ranking = [("ask_when_effective", 0.5), ("ask_why_cannot_add", 0.35), ("ask_rule_reason", 0.1)]
    body = suggest(client, agent, text, parse(text, "ask_when_effective", 0.5, ranking=ranking))
    assert [a["intent"] for a in body["alternatives"]] == ["ask_why_cannot_add", "ask_rule_reason"]


def test_a_clear_question_type_has_no_alternatives(client, agent, token):
    text = "什么时候生效"
    ranking = [("ask_when_effective", 0.8), ("ask_why_cannot_add", 0.59)]
    body = suggest(client, agent, text, parse(text, "ask_when_effective", 0.8, ranking=ranking))
    assert body["alternatives"] == []


def test_suggest_writes_into_no_conversation(client, agent, token):
    suggest(client, agent, "橱窗加不了联盟商品", parse("橱窗加不了联盟商品", "ask_why_cannot_add"))
    assert agent.parsed == ["橱窗加不了联盟商品"]
    assert list(run(agent.tracker_store.keys())) == []


# --- the maintainer view -------------------------------------------------------------------


def unanswered(client) -> Dict[str, Any]:
    status, _, body = client.get("/assist/unanswered", headers=AUTH)
    assert status == 200, body
    return body


def test_fallbacks_handoffs_and_thumbs_down_are_listed_newest_first(client, agent, token):
    conversation(
        agent,
        "a",
        [
            user("这个规则是啥意思啊", "nlu_fallback", 10.0),
            bot("抱歉，我没完全明白", 11.0),
            user("橱窗加不了联盟商品", "ask_why_cannot_add", 20.0),
            bot("请问您的店铺是哪种类型？", 21.0),
            user("个体店", "inform_profile", 22.0),
            user("授权号", "inform_profile", 23.0),
            bot("不能。个体店…", 24.0),
            SlotSet(
                "feedback",
                {"value": "down", "text": "不能。个体店…", "message_index": 2, "timestamp": 25.0},
                timestamp=25.0,
            ),
        ],
    )
    conversation(
        agent,
        "b",
        [
            user("我想开发票", "out_of_scope", 30.0),
            bot("抱歉，这个问题我帮不上忙", 31.0),
            user("/request_human", "request_human", 32.0),
            ActionExecuted("action_hand_off", timestamp=33.0),
            user("什么时候生效", "ask_when_effective", 40.0),
            bot("已经生效", 41.0),
            SlotSet(
                "feedback", {"value": "up", "text": "已经生效", "message_index": 1, "timestamp": 42.0}, timestamp=42.0
            ),
        ],
    )
    body = unanswered(client)
    assert [(g["text"], g["count"], g["reasons"]) for g in body["groups"]] == [
        ("我想开发票", 1, {"handoff": 1}),
        ("橱窗加不了联盟商品", 1, {"down": 1}),
        ("这个规则是啥意思啊", 1, {"fallback": 1}),
    ]
    assert body["groups"][0]["last_seen"] == "1970-01-01T00:00:30+00:00"
    assert body["groups"][0]["conversations"] == ["b"]


def test_near_equal_messages_are_one_group_with_a_count(client, agent, token):
    conversation(agent, "a", [user("这个规则是啥意思啊", "nlu_fallback", 10.0)])
    conversation(agent, "b", [user("这个规则是啥意思啊？", "nlu_fallback", 50.0)])
    conversation(agent, "c", [user("这个规则是 啥意思啊", "nlu_fallback", 30.0)])
    conversation(agent, "d", [user("能开发票吗", "nlu_fallback", 40.0)])
    groups = unanswered(client)["groups"]
    assert [(g["text"], g["count"]) for g in groups] == [("这个规则是啥意思啊？", 3), ("能开发票吗", 1)]
    assert groups[0]["examples"] == ["这个规则是啥意思啊？", "这个规则是 啥意思啊", "这个规则是啥意思啊"]
    assert sorted(groups[0]["conversations"]) == ["a", "b", "c"]
    assert groups[0]["last_seen"] == "1970-01-01T00:00:50+00:00"


def test_a_thumbs_down_on_a_button_question_names_the_question(client, agent, token):
    conversation(
        agent,
        "a",
        [
            user("/ask_when_effective", "ask_when_effective", 10.0),
            bot("已经生效", 11.0),
            SlotSet(
                "feedback", {"value": "down", "text": "已经生效", "message_index": 0, "timestamp": 12.0}, timestamp=12.0
            ),
        ],
    )
    assert [g["text"] for g in unanswered(client)["groups"]] == [f"〔按钮〕{TOPICS['ask_when_effective'].title}"]


def test_a_message_counted_for_several_reasons_counts_once(client, agent, token):
    conversation(
        agent,
        "a",
        [
            user("这咋整", "nlu_fallback", 10.0),
            bot("抱歉，我没完全明白", 11.0),
            SlotSet("feedback", {"value": "down", "text": "抱歉，我没完全明白", "message_index": 0, "timestamp": 12.0}),
            user("转人工", "request_human", 13.0),
            ActionExecuted("action_hand_off", timestamp=14.0),
        ],
    )
    [group] = unanswered(client)["groups"]
    assert (group["text"], group["count"], group["reasons"]) == ("这咋整", 1, {"down": 1, "fallback": 1, "handoff": 1})


class UnreadableStore:
    """A tracker store that cannot list or read any conversation."""

    def keys(self):
        raise AssertionError("the maintainer view read the tracker store")

    retrieve = retrieve_full_tracker = keys


def test_the_view_reads_the_records_not_the_conversations(client, agent, token):
    conversation(agent, "s", [user("看不懂", "nlu_fallback", 5.0)])
    agent.tracker_store = UnreadableStore()
    agent.tracker_store.event_broker = agent.records
    assert [g["text"] for g in unanswered(client)["groups"]] == ["看不懂"]


@pytest.mark.parametrize("query", ["?limit=0", "?limit=abc", "?limit=-1", "?limit=100000"])
def test_unanswered_refuses_a_bad_limit(client, agent, token, query):
    status, _, body = client.get("/assist/unanswered" + query, headers=AUTH)
    assert status == 400
    assert "limit" in body["error"]


def test_unanswered_limits_the_groups(client, agent, token):
    for n in range(5):
        conversation(agent, f"s{n}", [user(f"完全不同的问题{'甲乙丙丁戊'[n] * 8}", "nlu_fallback", float(n))])
    status, _, body = client.get("/assist/unanswered?limit=2", headers=AUTH)
    assert len(body["groups"]) == 2 and body["total_groups"] == 5 and body["messages"] == 5


# --- while the model loads -------------------------------------------------------------

NEEDS_THE_MODEL = [
    ("GET", "/web/welcome", None),
    ("POST", "/web/feedback", GOOD_FEEDBACK),
    ("POST", "/assist/suggest", {"text": "橱窗加不了联盟商品"}),
    ("GET", "/assist/unanswered", None),
]


@pytest.mark.parametrize("method, path, body", NEEDS_THE_MODEL)
def test_routes_that_need_the_model_say_it_is_still_loading(client, agent, token, monkeypatch, method, path, body):
    monkeypatch.setattr(agent, "is_ready", lambda: False)
    status, _, payload = client.call(method, path, body, headers=AUTH)
    assert (status, payload) == (503, {"error": "the assistant is still loading"})
    assert agent.parsed == []


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/web/feedback", {"value": "meh"}),
        ("POST", "/assist/suggest", {"text": ""}),
        ("GET", "/assist/unanswered?limit=0", None),
    ],
)
def test_bad_input_is_refused_before_the_model_is_needed(client, agent, token, monkeypatch, method, path, body):
    monkeypatch.setattr(agent, "is_ready", lambda: False)
    status, _, payload = client.call(method, path, body, headers=AUTH)
    assert status == 400, payload


def test_the_token_is_checked_before_the_model_is_needed(client, agent, token, monkeypatch):
    monkeypatch.setattr(agent, "is_ready", lambda: False)
    status, _, _ = client.post("/assist/suggest", {"text": "你好"})
    assert status == 401


def test_the_vocabulary_needs_no_model(client, agent, token, monkeypatch):
    monkeypatch.setattr(agent, "is_ready", lambda: False)
    status, _, body = client.get("/assist/vocabulary", headers=AUTH)
    assert status == 200 and body["inputs"]
