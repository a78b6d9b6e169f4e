"""The project's NLU components on their own, with Rasa's Message (no model needed)."""

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.merchant_facts import SAID, WHOLE_TEXT, MerchantFacts, QuestionCues
from components.merchant_words import MerchantTokenizer, MerchantWords, QuestionWindow
from scripts.stack import ROOT

CONFIG = {item["name"].split(".")[-1]: item for item in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]}


def message(text, **data):
    return Message(data={TEXT: text, **data})


def config_of(name):
    return {key: value for key, value in CONFIG[name].items() if key != "name"}


def test_merchant_words_rewrite_text_but_never_a_buttons_payload():
    words = MerchantWords({"glossary": config_of("MerchantWords")["glossary"]})
    said, button = message("When 個體店 关方号"), message("/ask_when_effective")
    words.process([said, button])
    assert said.get(TEXT) == "什么时候 个体店 官方号"
    assert said.get(SAID) == "When 個體店 关方号"  # the merchant's own words, for what was taught
    assert button.get(TEXT) == "/ask_when_effective"


def test_the_question_window_keeps_the_asking_sentence_of_a_long_message_and_the_whole_text():
    window = QuestionWindow({**QuestionWindow.get_default_config(), **config_of("QuestionWindow")})
    story = "我们是做零食的。" * 20 + "老板让我问一下：企业店的授权号什么时候开始限制的？"
    long = message(story)
    window.process([long])
    assert long.get(TEXT) == "老板让我问一下：企业店的授权号什么时候开始限制的？"
    assert long.get(WHOLE_TEXT) == story


def test_merchant_facts_mark_denied_values_and_name_a_pasted_error():
    spacy_found = [
        {"entity": "shop_type", "value": "specialty", "start": 3, "end": 6},
        {"entity": "shop_type", "value": "跨境店", "start": 9, "end": 12},
    ]
    said = message("我们是专营店，不是跨境店，提示已达上限", **{ENTITIES: spacy_found})
    MerchantFacts({}).process([said])
    found = {(e["entity"], e["value"], e.get("role")) for e in said.get(ENTITIES)}
    assert ("shop_type", "specialty", None) in found
    assert ("shop_type", "cross_border", "denied") in found
    assert ("error", "live_limit", None) in found


def test_merchant_facts_mark_someone_elses_values_apart_from_the_merchants():
    spacy_found = [
        {"entity": "account_role", "value": "official", "start": 2, "end": 5},
        {"entity": "account_role", "value": "official", "start": 13, "end": 16},
    ]
    said = message("我们官方号不能带了 隔壁家官方号怎么还在带", **{ENTITIES: spacy_found})
    MerchantFacts({}).process([said])
    found = [(e["entity"], e["value"], e["start"], e.get("role")) for e in said.get(ENTITIES)]
    assert ("account_role", "official", 2, None) in found
    assert ("account_role", "official", 13, "others") in found
    assert ("account_role", "official", 13, None) not in found


@pytest.fixture
def cues():
    return QuestionCues({**QuestionCues.get_default_config(), **config_of("QuestionCues")})


def test_a_request_for_a_person_anywhere_becomes_the_intent(cues):
    said = message(
        "窗口",
        **{
            WHOLE_TEXT: "我们是旗舰店 加不了联盟商品 请直接给我安排人工客服",
            INTENT: {"name": "ask_why_cannot_add", "confidence": 0.9},
            INTENT_RANKING_KEY: [{"name": "ask_why_cannot_add", "confidence": 0.9}],
        },
    )
    cues.process([said])
    assert said.get(INTENT)["name"] == "request_human"
    assert said.get(INTENT_RANKING_KEY)[1]["name"] == "ask_why_cannot_add"


def test_a_request_taken_back_is_no_request(cues):
    said = message("不用转人工 我自己看", **{INTENT: {"name": "thank", "confidence": 0.9}})
    cues.process([said])
    assert said.get(INTENT)["name"] == "thank"


def test_further_questions_and_being_blocked_become_entities(cues):
    said = message("个体店授权号 直播加不了联盟 几号开始限制的")
    cues.process([said])
    entities = {(e["entity"], e["value"]) for e in said.get(ENTITIES)}
    assert ("question", "ask_when_effective") in entities
    assert any(entity == "blocked" for entity, _ in entities)


@pytest.mark.parametrize(
    "text, asked",
    [
        ("企业店官方号直播能带别家货不", ["ask_why_cannot_add"]),  # asked 「A…不」
        ("意思就是别的店都只能带自己的货", []),  # 只能带 is no one still selling
        ("别的店都能带别家的货", ["ask_why_others_still_sell"]),
        ("内测是哪段时间", ["ask_when_effective"]),  # a time asked of any span
        ("官方号和授权号哪个先被限制的", ["ask_when_effective"]),  # which came first
        ("那内测期间呢", ["ask_when_effective"]),  # a stage's time asked after an answer
        ("官方号能不能同时绑两个店", ["ask_why_cannot_add", "ask_beyond_source"]),  # how many may be bound
        ("还授权了三个达人号 授权的那几个号还可以", []),  # how many are, said
        ("怎么判断我的号是官方号还是授权号", ["ask_beyond_source"]),  # how to tell who one is
        ("这是啥原因", ["ask_rule_reason"]),  # a cause asked with any question word
        ("短视频能挂多少个", ["ask_limit_quota"]),  # how many may be added
        ("能上几号的直播", ["ask_when_effective"]),  # a date, not a number
        ("达人自己的号，绑了个体店只为收款", ["ask_keep_selling_as_creator"]),  # a shop kept to be paid
    ],
)
def test_a_question_is_read_from_its_grammar(cues, text, asked):
    said = message(text)
    cues.process([said])
    assert [e["value"] for e in said.get(ENTITIES) or [] if e["entity"] == "question"] == asked


def test_a_cue_under_a_denial_is_marked_denied(cues):
    said = message("我们不是达人收款用的那种 正常运营的店", **{WHOLE_TEXT: "我们不是达人收款用的那种 正常运营的店"})
    cues.process([said])
    found = {(e["entity"], e["value"], e.get("role")) for e in said.get(ENTITIES) or []}
    assert found == {("question", "ask_keep_selling_as_creator", "denied")}


def test_the_tokenizer_loads_each_user_dictionary_once_per_process(tmp_path, monkeypatch):
    """jieba's dictionary is global and grows its words' frequencies at each load, so a
    model loaded again would cut words unlike its training: a dictionary is loaded once."""
    import jieba

    loaded = []
    monkeypatch.setattr(jieba, "load_userdict", loaded.append)
    monkeypatch.setattr(MerchantTokenizer, "_loaded", set())
    first, again = tmp_path / "model-1", tmp_path / "model-2"
    for directory in (first, again):  # the same dictionary, copied into two models
        directory.mkdir()
        (directory / "userdict.txt").write_text("官方号\n授权号\n", encoding="utf-8")
    MerchantTokenizer._load_custom_dictionary(str(first))
    MerchantTokenizer._load_custom_dictionary(str(again))
    assert loaded == [str(first / "userdict.txt")]
    (again / "userdict.txt").write_text("官方号\n授权号\n橱窗\n", encoding="utf-8")  # another dictionary
    MerchantTokenizer._load_custom_dictionary(str(again))
    assert loaded == [str(first / "userdict.txt"), str(again / "userdict.txt")]
