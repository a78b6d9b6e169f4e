"""A question frame: the questions a message asks and whom they are about.

Read from a message and the conversation so far by actions/frames.py, answered by
`actions.answers.answer`. Each subject is a set of profiles (per profile input, the
values it may still have) with what the merchant states of it; `own` says the merchant
asks about their own case, so an input that splits the answer is asked for rather than
every case answered. No Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from actions.policy.claims import Claim, encode


@dataclass(frozen=True)
class Subject:
    """Whom a question is about: per profile input, the values it may have (the
    merchant has one of them), and what the merchant states of it."""

    possible: Mapping[str, Tuple[str, ...]]
    claim: Optional[Claim] = None
    reason: Optional[str] = None


@dataclass(frozen=True)
class Frame:
    """One message's questions and their subjects (see the module docstring)."""

    asks: Tuple[str, ...]
    subjects: Tuple[Subject, ...]
    own: bool = True
    product_source: Optional[str] = None
    errors: Tuple[str, ...] = ()
    compares: str = ""  # 「一样」 or 「区别」: the message asks whether its subjects differ
    asked_with: str = ""  # 会 or 是: the word a claim is asked with, which the answer echoes
    closed: bool = False  # asked of the time after the shop is closed (「关完之后这个号…」)
    why: bool = False  # the words ask why: a verdict says the reason
    generalised: Tuple[str, ...] = ()  # inputs the words ask of for every value (「不管是啥店」)

    @classmethod
    def of(cls, asks: Sequence[str], possible: Mapping[str, Tuple[str, ...]], **rest: Any) -> "Frame":
        """A frame of the merchant's own case: one subject."""
        return cls(tuple(asks), (Subject(possible),), **rest)

    @property
    def claims(self) -> bool:
        """Whether the merchant asks to have a statement checked."""
        return any(s.claim is not None for s in self.subjects)

    def as_slot(self) -> Dict[str, Any]:
        """The frame as a slot value (JSON), to read the next message against."""
        return {
            "asks": list(self.asks),
            "own": self.own,
            "product_source": self.product_source,
            "subjects": [
                {
                    **{name: list(values) for name, values in s.possible.items()},
                    "claim": encode(s.claim) if s.claim else {},
                }
                for s in self.subjects
            ],
        }
