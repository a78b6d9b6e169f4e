"""Every clause the policy data cites quotes the source document verbatim.

The document lies outside the repository (../shared/source/, or POLICY_SOURCE); without it
these tests are skipped, naming the path they looked at.
"""

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


pytestmark = pytest.mark.skipif(
    not SOURCE.is_file(), reason=f"source document not found at {SOURCE} (outside the repository); set POLICY_SOURCE"
)


@pytest.fixture(scope="module")
def source_text():
    return SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("clause", list(load_policy().clauses))
def test_clause_quotes_the_source(clause, source_text):
    assert load_policy().clauses[clause] in source_text


def test_error_messages_are_quoted_exactly(source_text):
    for error in load_policy().errors.values():
        assert f"「{error.text}」" in source_text
