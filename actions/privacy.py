"""Personal data masked in what is recorded for analysis and in the hand-off summary:
phone numbers, ID numbers, bank cards and e-mail addresses, each replaced by its kind.
The conversation itself (what an agent opens) keeps what the merchant wrote. No Rasa."""

from __future__ import annotations

import re
from typing import Tuple

# Longest first: an ID number or a card holds what would read as a phone number.
_PERSONAL: Tuple[Tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "〔邮箱〕"),
    (re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"), "〔身份证号〕"),
    (re.compile(r"(?<!\d)\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)"), "〔银行卡号〕"),
    (re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"), "〔手机号〕"),
)


def masked(text: str) -> str:
    """`text` with every phone number, ID number, bank card and e-mail address replaced
    by its kind (「〔手机号〕」)."""
    for pattern, kind in _PERSONAL:
        text = pattern.sub(kind, text)
    return text
