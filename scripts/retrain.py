"""Fine-tunes the trained model on the data as it is now, after `make review-export` (`make retrain`).

    .venv/bin/python -m scripts.retrain [--config C] [--data D ...] [--model M] [--out DIR] [--name N]

It runs FRACTION of the training's epochs from the trained model (`rasa train
--finetune`), about a minute where a training from scratch takes over two; `make bench`
measures both. The Makefile, the bench and the teaching test all run this command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from scripts.stack import BIN, ROOT

FRACTION = 0.2  # of the training's epochs a retrain runs
MODEL = ROOT / "models" / "assistant.tar.gz"


def command(
    model: Path, data: Sequence[Path], out: Path, name: str = "assistant", config: str = "config.yml"
) -> List[str]:
    """`rasa train --finetune` of `model` on `data` (and the vocabulary's synonyms) into out/name.tar.gz."""
    return [
        *(str(BIN / "rasa"), "train", "--finetune", str(model), "--epoch-fraction", str(FRACTION)),
        *("--config", config, "--domain", "domain.yml", "--data", *map(str, data), "build/nlu/data"),
        *("--out", str(out), "--fixed-model-name", name),
    ]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--data", nargs="+", type=Path, default=[ROOT / "data"])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--out", type=Path, default=MODEL.parent)
    parser.add_argument("--name", default="assistant")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        parser.error(f"no model to fine-tune at {args.model}: run make train")
    retrain = command(args.model, args.data, args.out, args.name, args.config)
    return subprocess.run(retrain, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
