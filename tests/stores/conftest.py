"""What the tests of the conversation store and of the records share: the project's
domain and a conversation database of their own."""

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The conversation database, where the tracker store and the records broker write."""
    return tmp_path / "conversations.db"
