"""Every clause the policy data cites quotes the source document verbatim."""

import os
from pathlib import Path

import pytest

from actions.policy import load_policy

SOURCE = Path(
    os.environ.get(
        "POLICY_SOURCE",
        Path(__file__).resolve().parents[3] / "shared/source/official-account-own-products-faq.zh.txt",
    )
)


@pytest.fixture(scope="module")
def source_text():
    if not SOURCE.exists():
        pytest.fail(f"source document not found at {SOURCE}; set POLICY_SOURCE to its path")
    return SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("clause", list(load_policy().clauses))
def test_clause_quotes_the_source(clause, source_text):
    assert load_policy().clauses[clause] in source_text


def test_error_messages_are_quoted_exactly(source_text):
    for error in load_policy().errors.values():
        assert f"「{error.text}」" in source_text
