"""`make review-export` (scripts/review_export.py): labels become NLU examples Rasa reads."""

import asyncio
import re
import time

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.endpoints import EndpointConfig

from scripts import review, review_export
from scripts.stack import ROOT
from stores.records import RecordsBroker, engine_for
from stores.records.labels import labels_of, put_label


@pytest.fixture
def records(tmp_path, monkeypatch):
    db, reviewed = tmp_path / "conversations.db", tmp_path / "reviewed.yml"
    monkeypatch.setenv("ASSISTANT_SQLITE_PATH", str(db))
    monkeypatch.delenv("ASSISTANT_PROFILE", raising=False)
    monkeypatch.setattr(review, "REVIEWED", reviewed)
    return RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=str(db))))


def fell_back(records: RecordsBroker, sender: str, *texts: str) -> None:
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = InMemoryTrackerStore(domain, event_broker=records)
    events = [
        UserUttered(t, intent={"name": "nlu_fallback", "confidence": 0.3}, timestamp=time.time() + i)
        for i, t in enumerate(texts)
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=domain.slots)))


def key_of(records: RecordsBroker, text: str) -> str:
    return next(g.key for g in records.unanswered(100)[0] if g.text == text)


def test_labels_become_sorted_examples_once_each_with_their_date_and_author(records, capsys):
    fell_back(records, "m1", "规矩哪天起开始算的")
    fell_back(records, "m2", "规矩哪天起开始算的？")  # the same group, said otherwise
    fell_back(records, "m3", "快递丢件了谁赔")
    put_label(records.engine, key_of(records, "规矩哪天起开始算的？"), "ask_when_effective", {}, "王芳")
    put_label(records.engine, key_of(records, "快递丢件了谁赔"), "out_of_scope", {}, "李雷")

    assert review_export.main(["--out", str(review.REVIEWED)]) == 0
    written = review.REVIEWED.read_text(encoding="utf-8")
    today = time.strftime("%Y-%m-%d")
    assert written.index("- intent: ask_when_effective") < written.index("- intent: out_of_scope")
    assert f'  - text: "规矩哪天起开始算的"  # {today} 王芳' in written
    assert f'  - text: "快递丢件了谁赔"  # {today} 李雷' in written
    assert "新增 2 条" in capsys.readouterr().out  # 「…算的？」 is 「…算的」 again
    data = load_data(str(review.REVIEWED))
    assert sorted((e.get("intent"), e.get("text")) for e in data.intent_examples) == [
        ("ask_when_effective", "规矩哪天起开始算的"),
        ("out_of_scope", "快递丢件了谁赔"),
    ]
    assert all(label.exported_at for label in labels_of(records.engine).values())
    assert records.unanswered(100)[0] == []  # taught: the groups leave the list

    assert review_export.main(["--out", str(review.REVIEWED)]) == 0  # again: nothing new, nothing twice
    assert review.REVIEWED.read_text(encoding="utf-8") == written
    assert "新增 0 条" in capsys.readouterr().out


def test_a_text_that_may_not_be_taught_is_named_with_its_reason_and_left_out(records, capsys):
    fell_back(records, "m1", "我电话13812345678 那个东西咋整")
    put_label(records.engine, key_of(records, "我电话〔手机号〕 那个东西咋整"), "ask_why_cannot_add", {}, "王芳")
    assert review_export.main(["--out", str(review.REVIEWED)]) == 0
    out = capsys.readouterr().out
    assert "未导出 1 条" in out and "个人信息" in out
    assert "〔手机号〕" not in review.REVIEWED.read_text(encoding="utf-8")
    assert [g.text for g in records.unanswered(100)[0]] == ["我电话〔手机号〕 那个东西咋整"]  # still listed


def test_a_reply_marked_wrong_becomes_a_case_the_benchmark_reads(records):
    from scripts import evaluate
    from stores.records.labels import WrongAnswer, mark_wrong

    expected, answered = "是的，已经生效。\n详情……", "抱歉，这个问题我帮不上忙。"
    wrong = WrongAnswer(
        "规矩生效了吗（旗舰店）", answered, "ask_rule_status", {"shop_type": "flagship"}, expected, "王芳", 1.0
    )
    mark_wrong(records.engine, wrong)
    cases = review.REVIEWED.parent / "reviewed-cases" / "cases.yml"
    assert review_export.main(["--out", str(review.REVIEWED), "--cases", str(cases)]) == 0
    [case] = evaluate.load_cases((cases.parent,))
    assert case.turns == ("规矩生效了吗（旗舰店）",) and case.metadata == {"shop_type": "flagship"}
    assert case.must == (re.escape("是的，已经生效。"),) and case.must_not == (re.escape(answered),)
    assert review_export.main(["--out", str(review.REVIEWED), "--cases", str(cases)]) == 0
    assert len(evaluate.load_cases((cases.parent,))) == 1  # again: the same case once
