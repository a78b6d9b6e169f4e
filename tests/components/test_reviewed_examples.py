"""ReviewedExamples: the texts maintainers labelled, remembered in training and answered as
taught, through Rasa's own model storage (no model needed)."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from components.reviewed_examples import ReviewedExamples
from scripts.review import example_lines

TAUGHT = "别人家的东西咋挂不上去了"


def trained(tmp_path):
    data = tmp_path / "nlu.yml"
    reviewed = example_lines({"ask_why_cannot_add": [(TAUGHT, "2026-12-07 王芳")]})
    ordinary = "- intent: out_of_scope\n  examples: |\n    - 今天天气怎么样\n"
    data.write_text(reviewed + ordinary, encoding="utf-8")
    (tmp_path / "storage").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "storage"), Resource("reviewed")
    context = ExecutionContext(GraphSchema({}), "test")
    ReviewedExamples.create({}, storage, resource, context).train(load_data(str(data)))
    return ReviewedExamples.load({}, storage, resource, context)


def classified(component, text, intent="nlu_fallback"):
    said = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.3}})
    said.set("intent_ranking", [{"name": "ask_rule_reason", "confidence": 0.3}])
    component.process([said])
    return said


def test_a_taught_text_said_again_gets_its_label_sure_before_the_classifiers_ranking(tmp_path):
    component = trained(tmp_path)
    said = classified(component, "别人家的东西，咋挂不上去了？？")  # punctuation aside
    assert said.get(INTENT) == {"name": "ask_why_cannot_add", "confidence": 1.0}
    assert [i["name"] for i in said.get("intent_ranking")] == ["ask_why_cannot_add", "ask_rule_reason"]


def test_only_the_reviewed_examples_are_remembered_and_other_texts_keep_the_classifiers_intent(tmp_path):
    component = trained(tmp_path)
    assert component.taught == {"别人家的东西咋挂不上去了": "ask_why_cannot_add"}
    assert classified(component, "今天天气怎么样").get(INTENT)["name"] == "nlu_fallback"
    assert classified(component, "别人家的东西咋挂不上去").get(INTENT)["name"] == "nlu_fallback"  # another text


def test_a_model_trained_before_anything_was_taught_loads_empty(tmp_path):
    context = ExecutionContext(GraphSchema({}), "test")
    component = ReviewedExamples.load({}, LocalModelStorage(tmp_path), Resource("none"), context)
    assert component.taught == {}
    assert classified(component, TAUGHT).get(INTENT)["name"] == "nlu_fallback"
