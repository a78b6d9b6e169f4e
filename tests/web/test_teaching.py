"""Labelling the groups of the 待改进的问题 panel (issue 29): who labelled what and when,
refusals with their reason, undo; a taught group leaves the list until said again."""

import time
from typing import Any, Dict

import pytest
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.records.labels import mark_exported
from tests.web.conftest import TOKEN, parse, run

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TRAINED_AS_STATUS = "这规矩后来取消了没有"  # in data/nlu/status.yml as ask_rule_status


def fell_back(agent, sender: str, text: str, at: float = 0.0) -> None:
    said = UserUttered(text, intent={"name": "nlu_fallback", "confidence": 0.3}, timestamp=at or time.time())
    run(agent.tracker_store.save(DialogueStateTracker.from_events(sender, [said], slots=agent.domain.slots)))


def group(client, text: str) -> Dict[str, Any]:
    status, _, body = client.get("/assist/unanswered", headers=AUTH)
    assert status == 200, body
    return next(g for g in body["groups"] if g["text"] == text)


def label(client, key: str, body: Any):
    return client.call("PUT", f"/assist/unanswered/{key}/label", body, headers=AUTH)


def test_a_group_is_labelled_by_who_and_when_and_can_be_undone(client, agent, token):
    fell_back(agent, "m1", "啥时候开始只能卖自己店的东西")
    key = group(client, "啥时候开始只能卖自己店的东西")["key"]
    assert group(client, "啥时候开始只能卖自己店的东西")["label"] is None
    status, _, body = label(client, key, {"intent": "ask_when_effective", "facts": {"shop_type": "flagship"}})
    assert status == 200, body
    shown = group(client, "啥时候开始只能卖自己店的东西")["label"]
    assert shown["intent"] == "ask_when_effective" and shown["title"] == "规则什么时候生效"
    assert shown["by"] == "值班客服" and shown["facts"] == {"shop_type": "flagship"} and not shown["exported"]
    assert time.time() - shown["at"] < 60
    assert client.call("DELETE", f"/assist/unanswered/{key}/label", headers=AUTH)[0] == 200
    assert group(client, "啥时候开始只能卖自己店的东西")["label"] is None
    assert client.call("DELETE", f"/assist/unanswered/{key}/label", headers=AUTH)[0] == 404


@pytest.mark.parametrize(
    "body",
    [{"intent": "greet"}, {"intent": None}, {"intent": "ask_when_effective", "facts": {"shop_type": "小卖部"}},
     {"intent": "ask_when_effective", "facts": {"weather": "sunny"}}, {"intent": "ask_when_effective", "facts": "flagship"}],
)
def test_a_label_names_a_question_type_or_out_of_scope_and_known_facts(client, agent, token, body):
    fell_back(agent, "m1", "这个到底怎么回事呢朋友")
    assert label(client, group(client, "这个到底怎么回事呢朋友")["key"], body)[0] == 400


def test_labels_need_the_token_and_a_group(client, agent, token):
    assert client.call("PUT", f"/assist/unanswered/{'0' * 32}/label", {"intent": "out_of_scope"})[0] == 401
    assert label(client, "0" * 32, {"intent": "out_of_scope"})[0] == 404
    assert label(client, "not-a-key", {"intent": "out_of_scope"})[0] == 404


@pytest.mark.parametrize(
    "text, intent, reason",
    [
        ("我手机13812345678 帮我看看这个", "out_of_scope", "个人信息"),
        (TRAINED_AS_STATUS, "ask_when_effective", "ask_rule_status"),
    ],
)
def test_a_label_that_would_teach_wrongly_is_refused_with_the_reason(client, agent, token, text, intent, reason):
    fell_back(agent, "m1", text)
    shown = [g for g in client.get("/assist/unanswered", headers=AUTH)[2]["groups"]][0]
    status, _, body = label(client, shown["key"], {"intent": intent})
    assert status == 422 and reason in body["error"]


def test_a_taught_group_leaves_the_list_until_a_merchant_says_it_again(client, agent, token):
    fell_back(agent, "m1", "开通了直播还是挂不上东西", at=time.time() - 60)
    key = group(client, "开通了直播还是挂不上东西")["key"]
    assert label(client, key, {"intent": "ask_why_cannot_add"})[0] == 200
    mark_exported(agent.records.engine, [key], time.time())
    assert all(g["key"] != key for g in client.get("/assist/unanswered", headers=AUTH)[2]["groups"])
    fell_back(agent, "m2", "开通了直播还是挂不上东西", at=time.time() + 1)
    assert group(client, "开通了直播还是挂不上东西")["label"]["exported"]


def test_a_sentence_of_the_benchmark_is_never_taught(client, agent, token):
    from scripts import evaluate

    turn = next(t for case in evaluate.load_cases() for t in case.turns if len(t) >= 12 and "〔" not in t)
    fell_back(agent, "m1", turn)
    shown = client.get("/assist/unanswered", headers=AUTH)[2]["groups"][0]
    status, _, body = label(client, shown["key"], {"intent": "ask_why_cannot_add"})
    assert status == 422 and "测评集" in body["error"]


def test_the_choices_are_the_nlus_best_question_types_then_every_label(client, agent, token):
    text = "规矩哪天起算的"
    ranking = [("nlu_fallback", 0.5), ("ask_when_effective", 0.3), ("greet", 0.1), ("ask_rule_status", 0.05)]
    agent.parses[text] = parse(text, "nlu_fallback", 0.5, ranking=ranking)
    fell_back(agent, "m1", text)
    status, _, body = client.get(f"/assist/unanswered/{group(client, text)['key']}/choices", headers=AUTH)
    assert status == 200, body
    assert [(g["intent"], g["confidence"]) for g in body["guesses"]] == [("ask_when_effective", 0.3), ("ask_rule_status", 0.05)]
    assert body["guesses"][0]["title"] == "规则什么时候生效"
    assert {c["intent"] for c in body["choices"]} >= {"out_of_scope", "ask_beyond_source", "ask_why_cannot_add"}


def wrong(client, body: Any, headers: Dict[str, str] = AUTH):
    return client.call("POST", "/assist/conversations/m1/wrong", body, headers=headers)


def test_a_reply_marked_wrong_is_stored_with_the_engines_answer_to_what_was_needed(client, agent, token):
    from stores.records.labels import wrong_answers_of

    body = {"said": "旗舰店授权号橱窗", "answered": "抱歉，这个问题我帮不上忙。", "intent": "ask_why_cannot_add"}
    status, _, reply = wrong(client, {**body, "facts": {"shop_type": "flagship", "account_role": "authorized"}})
    assert status == 200, reply
    [stored] = wrong_answers_of(agent.records.engine)
    assert stored.expected == reply["expected"] and reply["expected"].startswith("不能")
    assert "旗舰店" in reply["expected"] and (stored.by, stored.intent) == ("值班客服", "ask_why_cannot_add")
    assert stored.facts == {"shop_type": "flagship", "account_role": "authorized"}


@pytest.mark.parametrize(
    "body, status",
    [
        ({"said": "我手机13812345678", "answered": "抱歉", "intent": "out_of_scope"}, 422),
        ({"said": "橱窗", "answered": "抱歉", "intent": "greet"}, 400),
        ({"said": "", "answered": "抱歉", "intent": "out_of_scope"}, 400),
        ({"said": "橱窗", "intent": "out_of_scope"}, 400),
    ],
)
def test_a_wrong_answer_is_refused_with_the_reason(client, agent, token, body, status):
    assert wrong(client, body)[0] == status
    assert wrong(client, body, headers={})[0] == 401
