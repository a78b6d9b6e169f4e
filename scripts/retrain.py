"""Teaches the trained model what maintainers labelled, after `make review-export` (`make retrain`).

    .venv/bin/python -m scripts.retrain [--data D ...] [--model M] [--out DIR] [--name N]

The reviewed examples of the data (data/nlu/reviewed.yml) are written into the model's
ReviewedExamples (components/reviewed_examples.py) in a few seconds: the model answers
them as taught, and its classifier is left exactly as it was. Fine-tuning the model
(`rasa train --finetune`) was measured and dropped: it moved what the classifier already
knew, even with no epoch at all, as soon as the new examples brought new words (Rasa
widens the featurizers' vocabulary and fits the widened classifier on one example). The
classifier learns the taught examples, to generalise from them, at the next `make
train`. The Makefile, the bench and the teaching test all run this.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence

from rasa.engine.graph import GraphModelConfiguration
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelMetadata
from rasa.shared.importers.rasa import RasaFileImporter

from components.reviewed_examples import ReviewedExamples, Taught, taught_by, write
from scripts.stack import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"


class NotTeachable(Exception):
    """The model has no ReviewedExamples: it was trained before teaching (make train)."""


def teach(model: Path, data: Sequence[Path], out: Path) -> Taught:
    """Writes `model` to `out` with the reviewed examples of `data` as what its
    ReviewedExamples holds; returns them."""
    taught = taught_by(RasaFileImporter(training_data_paths=[str(p) for p in data]).get_nlu_data().intent_examples)
    with tempfile.TemporaryDirectory() as unpacked:
        storage, metadata = LocalModelStorage.from_model_archive(Path(unpacked), model)
        with storage.write_to(_resource(metadata)) as directory:
            write(directory, taught)
        storage.create_model_package(out, _configuration(metadata), metadata.domain)
    return taught


def _resource(metadata: ModelMetadata) -> Resource:
    nodes = metadata.predict_schema.nodes.values()
    found = next((node.resource for node in nodes if node.uses is ReviewedExamples and node.resource), None)
    if found is None:
        raise NotTeachable(f"the model has no {ReviewedExamples.__name__}: run make train")
    return found


def _configuration(metadata: ModelMetadata) -> GraphModelConfiguration:
    """The trained model's own configuration, to package it again as it was."""
    return GraphModelConfiguration(
        train_schema=metadata.train_schema,
        predict_schema=metadata.predict_schema,
        training_type=metadata.training_type,
        assistant_id=metadata.assistant_id,
        language=metadata.language,
        core_target=metadata.core_target,
        nlu_target=metadata.nlu_target,
        spaces=metadata.spaces,  # type: ignore[arg-type]
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", type=Path, default=[ROOT / "data"])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--out", type=Path, default=MODEL.parent)
    parser.add_argument("--name", default="assistant")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        parser.error(f"no model to teach at {args.model}: run make train")
    try:
        taught = teach(args.model, args.data, args.out / f"{args.name}.tar.gz")
    except NotTeachable as error:
        parser.error(str(error))
    print(f"已写入模型：{len(taught)} 条标注过的说法（{args.out / f'{args.name}.tar.gz'}），重新加载模型后生效")
    return 0


if __name__ == "__main__":
    sys.exit(main())
