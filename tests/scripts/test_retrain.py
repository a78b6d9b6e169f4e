"""`make retrain` (scripts/retrain.py): the command the Makefile, the bench and the
teaching test share, and a clear error without a model."""

from pathlib import Path

import pytest

from scripts import retrain


def test_a_retrain_without_a_model_says_how_to_get_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        retrain.main(["--model", str(tmp_path / "missing.tar.gz")])
    assert stopped.value.code == 2
    assert "run make train" in capsys.readouterr().err


def test_a_retrain_fine_tunes_the_model_on_the_data_and_the_vocabulary():
    argv = retrain.command(Path("m.tar.gz"), [Path("copy/data")], Path("out"), "taught")
    assert argv[argv.index("--finetune") + 1] == "m.tar.gz"
    assert argv[argv.index("--epoch-fraction") + 1] == str(retrain.FRACTION)
    data = argv.index("--data")
    assert argv[data + 1 : data + 3] == ["copy/data", "build/nlu/data"]
    assert argv[-2:] == ["--fixed-model-name", "taught"]
