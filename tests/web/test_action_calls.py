"""Action-server responses are validated as Rasa validates them, by a validator built once."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from channels import action_calls

VALID = {"events": [{"event": "slot", "name": "question", "value": "q", "timestamp": None}], "responses": []}


@pytest.fixture
def remote_action(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_calls.install()
    return RemoteAction("action_answer_merchant", None)


def test_a_valid_response_is_checked_without_rebuilding_the_schema(remote_action, monkeypatch):
    def rebuilt(*args, **kwargs):
        raise AssertionError("jsonschema.validate rebuilds the validator on every call")

    monkeypatch.setattr(jsonschema, "validate", rebuilt)
    assert remote_action._validate_action_result(VALID)


def test_an_invalid_response_gets_rasas_error(remote_action):
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"events": [{"event": "slot", "name": 3}], "responses": "x"})
