"""The servers the tests and the benchmark start."""

from pathlib import Path

import pytest
from rasa.__main__ import create_argument_parser

from scripts.stack import Stack


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "plain_token", "--two-dashes"])
def test_rasa_reads_every_generated_token(tmp_path: Path, token: str) -> None:
    """secrets.token_urlsafe starts with "-" once in 64 tokens; `rasa run` must still read it."""
    model = tmp_path / "model.tar.gz"
    model.touch()
    stack = Stack(tmp_path, token=token, model=model)
    arguments = create_argument_parser().parse_args(stack.rasa_arguments())
    assert arguments.auth_token == token
    assert arguments.port == stack.rasa_port
