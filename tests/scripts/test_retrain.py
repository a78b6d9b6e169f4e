"""`make retrain` (scripts/retrain.py): the reviewed examples written into a trained model,
everything else in it left as it was, and a clear error for a model that cannot be taught.
The models here are small Rasa archives built by hand (no training needed)."""

from pathlib import Path

import pytest
from rasa.engine.graph import GraphModelConfiguration, GraphSchema, SchemaNode
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.core.domain import Domain
from rasa.shared.data import TrainingType

from components.reviewed_examples import ReviewedExamples
from scripts import retrain
from scripts.review import example_lines

REVIEWED, OTHER = Resource("train_ReviewedExamples9"), Resource("train_FallbackClassifier8")


def archive(tmp_path: Path, *uses: type) -> Path:
    """A model archive whose graph runs `uses`, each with a file in its resource."""
    storage_path = tmp_path / "storage"
    storage_path.mkdir()
    storage = LocalModelStorage(storage_path)
    nodes = {}
    for component, resource in zip(uses, (OTHER, REVIEWED)[: len(uses)], strict=True):
        with storage.write_to(resource) as directory:
            (directory / "weights.bin").write_bytes(b"\x00\x01trained")
        nodes[resource.name] = SchemaNode({}, component, "load", "process", {}, resource=resource)
    schema = GraphSchema(nodes)
    configuration = GraphModelConfiguration(schema, schema, TrainingType.NLU, "test", "zh", None, "nlu")
    path = tmp_path / "model.tar.gz"
    storage.create_model_package(path, configuration, Domain.empty())
    return path


def unpacked(model: Path, into: Path) -> Path:
    into.mkdir()
    LocalModelStorage.from_model_archive(into, model)
    return into


def test_the_reviewed_examples_are_written_into_the_model_and_nothing_else_changes(tmp_path):
    model = archive(tmp_path, FallbackClassifier, ReviewedExamples)
    data = tmp_path / "data"
    data.mkdir()
    examples = {"ask_why_cannot_add": [("别人家的东西咋挂不上去了？", "2026-12-07 王芳")]}
    (data / "reviewed.yml").write_text(example_lines(examples), encoding="utf-8")
    (data / "other.yml").write_text('version: "3.1"\nnlu:\n- intent: out_of_scope\n  examples: |\n    - 天气\n')

    assert retrain.main(["--model", str(model), "--data", str(data), "--out", str(tmp_path), "--name", "taught"]) == 0
    storage = unpacked(tmp_path / "taught.tar.gz", tmp_path / "taught")
    component = ReviewedExamples.load({}, LocalModelStorage(storage), REVIEWED, None)  # type: ignore[arg-type]
    assert component.taught == {"别人家的东西咋挂不上去了": "ask_why_cannot_add"}
    assert (storage / OTHER.name / "weights.bin").read_bytes() == b"\x00\x01trained"


def test_a_model_without_the_component_says_to_train_again(tmp_path, capsys):
    model = archive(tmp_path, FallbackClassifier)
    with pytest.raises(SystemExit) as stopped:
        retrain.main(["--model", str(model), "--data", str(tmp_path), "--out", str(tmp_path)])
    assert stopped.value.code == 2
    assert "ReviewedExamples" in capsys.readouterr().err


def test_a_retrain_without_a_model_says_how_to_get_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        retrain.main(["--model", str(tmp_path / "missing.tar.gz")])
    assert stopped.value.code == 2
    assert "run make train" in capsys.readouterr().err
