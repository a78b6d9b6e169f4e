"""The servers the tests and the benchmark start."""

from pathlib import Path

import pytest
from rasa.__main__ import create_argument_parser

from scripts.rasa_server import rasa_argv
from scripts.stack import Stack


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "plain_token", "--two-dashes"])
def test_rasa_reads_every_generated_token(tmp_path: Path, token: str) -> None:
    """secrets.token_urlsafe starts with "-" once in 64 tokens; `rasa run` must still read it."""
    model = tmp_path / "model.tar.gz"
    model.touch()
    stack = Stack(tmp_path, token=token, model=model)
    arguments = create_argument_parser().parse_args(rasa_argv(stack.rasa_arguments(), token)[1:])
    assert arguments.auth_token == token
    assert arguments.port == stack.rasa_port


def test_the_token_is_never_taken_from_the_command_line(tmp_path: Path) -> None:
    model = tmp_path / "model.tar.gz"
    model.touch()
    stack = Stack(tmp_path, token="secret-token", model=model)
    assert not any("secret-token" in argument for argument in stack.rasa_arguments())
    with pytest.raises(SystemExit, match="ASSISTANT_TOKEN"):
        rasa_argv(["--auth-token=secret-token"], "secret-token")
    with pytest.raises(SystemExit, match="ASSISTANT_TOKEN"):
        rasa_argv(["--enable-api"], "")
