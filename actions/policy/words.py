"""Merchant words, as typed, turned into the vocabulary's names: one normaliser for all.

The chat's NLU pipeline (components/merchant_words.py), the agent console (through the
same pipeline) and the command line (vocabulary.normalise) all read merchant text with
`normalise_text`: traditional → simplified characters (OpenCC), full → half width, lower
case; then every English alias, homophone (pinyin-input slip: 关方号 → 官方号) and near
miss (人店一休号 → 人店一体号) of a vocabulary name is replaced by the name itself.
A syllable typed in pinyin inside a name (guan方号) becomes its character too.
Homophones and near misses keep the length of the text, so positions stay valid. Two-
character names are common words too (个体 sounds like 个题), so their slips count only
next to another name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterator, List, Mapping, Optional, Set, Tuple

from actions.policy.model import INPUTS, Policy

_SPACE = re.compile(r"\s+")
# Variant characters both written in simplified Chinese, folded to one.
_VARIANTS = str.maketrans({"帐": "账"})
_CJK = re.compile(r"[\u3400-\u9fff]")
_ASCII_WORD = re.compile(r"[a-z]")
# Names this long may also differ in one character that does not sound alike.
_NEAR_MISS_LENGTH = 5
# A syllable typed in pinyin counts inside a name with at least this many characters
# of it around it.
_SLIP_CONTEXT = 2
_LATIN_RUN = re.compile(r"[a-z]+")
# Characters mistaken for one another by their shape (形近字), as merchants mistype
# the vocabulary's names: 个休店 for 个体店.
_LOOKALIKES = (
    "休体",
    "宫官",
    "买卖实",
    "现视",
    "顷频",
    "垮跨挎",
    "竟境",
    "朕联",
    "盅盟",
    "拯营",
    "授援",
    "权杈",
    "店庄",
    "场汤",
)
_SHAPES = {c: group for group in _LOOKALIKES for c in group}


def fold(text: str) -> str:
    """Width, case and white space folded: 'ＯＫ 旗舰店 ' and 'ok旗舰店' compare equal."""
    return _SPACE.sub("", simplify(text))


def simplify(text: str) -> str:
    """Simplified characters (one form of each variant: 帐号 → 账号), half width, lower case."""
    return _t2s(unicodedata.normalize("NFKC", text)).casefold().translate(_VARIANTS)


def normalise_text(text: str, policy: Policy, glossary: Optional[Mapping[str, str]] = None) -> str:
    """`text` simplified, with syllables typed in pinyin, English aliases, homophones
    and near misses of the vocabulary's names replaced by the names, then the words of
    the `glossary` (English and dialect question words: "where" → 在哪, 点解 → 为什么)."""
    index = _index(policy)
    text = _typed_pinyin(simplify(text), index)
    text = _repair(index.english.sub(lambda m: _lookup(index.english_names, m.group(0)), text), index)
    if glossary:
        text = _glossary(tuple(sorted(glossary.items()))).sub(lambda m: _lookup(glossary, m.group(0)), text)
    return text


def _lookup(names: Mapping[str, str], found: str) -> str:
    """What an English name (maybe plural) found in a text stands for."""
    words = _words(found)
    return names.get(words) or names.get(re.sub(r"e?s$", "", words)) or names[words[:-1]]


@lru_cache(maxsize=16)
def _glossary(words: Tuple[Tuple[str, str], ...]) -> "re.Pattern[str]":
    """English words (whole words, plurals too) or other words (anywhere) of a glossary."""
    english = {key: value for key, value in words if _ASCII_WORD.search(key)}
    other = {key: value for key, value in words if key not in english}
    parts = [_alternation(names, english=latin).pattern for latin, names in ((True, english), (False, other)) if names]
    return re.compile("|".join(parts))


@dataclass(frozen=True)
class Name:
    """A vocabulary name found in a text, at [start, end)."""

    dimension: str
    value: str
    start: int
    end: int


def names_in(text: str, policy: Policy) -> List[Name]:
    """Every vocabulary name in a normalised text, longest first, never overlapping."""
    index = _index(policy)
    return [Name(*index.chinese_names[m.group(0)], m.start(), m.end()) for m in index.chinese.finditer(text)]


@lru_cache(maxsize=1)
def _t2s_converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return _t2s_converter().convert(text) if any(ord(c) > 0x2E7F for c in text) else text


def _words(text: str) -> str:
    """English words folded for lookup: 'Cross  Border', 'cross-border' → 'cross border';
    a plural names what its singular names ('official accounts')."""
    return " ".join(re.split(r"[\s\-_]+", text.strip()))


class _Index:
    """What the normaliser looks names up in, built once per policy."""

    def __init__(self, policy: Policy) -> None:
        self.chinese_names: Dict[str, Tuple[str, str]] = {}
        self.english_names: Dict[str, str] = {}
        for dimension in INPUTS:
            for value in policy.vocabulary[dimension].values():
                for name in (value.label, *value.aliases):
                    folded = fold(name)
                    if _ASCII_WORD.search(folded) and not _CJK.search(folded):
                        self.english_names[_words(simplify(name))] = value.short
                    elif len(folded) >= 2:
                        self.chinese_names[folded] = (dimension, value.id)
        self.english = _alternation(self.english_names, english=True)
        self.chinese = _alternation(self.chinese_names, english=False)
        self.by_place: Dict[Tuple[int, int, str], List[str]] = {}
        for name in self.chinese_names:
            if all(_CJK.match(c) for c in name):
                for position, character in enumerate(name):
                    self.by_place.setdefault((len(name), position, character), []).append(name)
        self.lengths = sorted({length for length, _, _ in self.by_place}, reverse=True)
        self.by_sound: Dict[str, List[Tuple[str, int]]] = {}
        for name in self.chinese_names:
            if len(name) >= _SLIP_CONTEXT + 1 and all(_CJK.match(c) for c in name):
                for position, character in enumerate(name):
                    self.by_sound.setdefault(_sound(character), []).append((name, position))


def _alternation(names: Mapping[str, object], english: bool) -> "re.Pattern[str]":
    longest_first = sorted(names, key=len, reverse=True)
    if english:
        parts = [r"[\s\-_]+".join(map(re.escape, name.split(" "))) for name in longest_first]
        return re.compile(r"(?<![a-z])(?:" + "|".join(parts) + r")(?:e?s)?(?![a-z])")
    return re.compile("|".join(map(re.escape, longest_first)))


@lru_cache(maxsize=None)
def _index(policy: Policy) -> _Index:
    return _Index(policy)


@lru_cache(maxsize=None)
def _sound(character: str) -> str:
    """The main toneless pinyin reading of a character ("" for non-Chinese ones): a
    pinyin-input slip types a name's usual sound, and rare readings (是 as tí) would
    make unrelated characters sound alike."""
    from pypinyin.pinyin_dict import pinyin_dict

    return _toneless(pinyin_dict.get(ord(character), "").split(",")[0])


def _alike(typed: str, meant: str) -> bool:
    """Same usual sound, or the same shape."""
    return bool(_sound(typed)) and _sound(typed) == _sound(meant) or _SHAPES.get(typed) == _SHAPES.get(meant, "")


def _toneless(reading: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)).replace("ü", "v")


def _typed_pinyin(text: str, index: _Index) -> str:
    """A syllable typed in pinyin inside a name (专营店的guan方号) becomes the name's
    character, when the rest of the name stands around it."""
    for match in reversed(list(_LATIN_RUN.finditer(text))):
        start, end = match.span()
        for name, position in index.by_sound.get(match.group(0), ()):
            before, after = name[:position], name[position + 1 :]
            if text[start - len(before) : start] == before and text[end : end + len(after)] == after:
                text = text[:start] + name[position] + text[end:]
                break
    return text


def _repair(text: str, index: _Index) -> str:
    """Homophones and near misses of names replaced by the names (same length)."""
    exact = [(m.start(), m.end()) for m in index.chinese.finditer(text)]
    repaired = list(text)
    position = 0
    while position < len(text):
        found = _closest(text, position, exact, index)
        if found is None:
            position += 1
            continue
        repaired[position : position + len(found)] = found
        exact = [span for span in exact if not position <= span[0] < position + len(found)]
        exact.append((position, position + len(found)))
        position += len(found)
    return "".join(repaired)


def _closest(text: str, start: int, exact: List[Tuple[int, int]], index: _Index) -> Optional[str]:
    """The longest name that the characters at `start` are a slip of, or None.

    A window may hold a shorter name whole (官方棋舰店 holds the alias 棋舰店), never cut
    one; a two-character slip counts only beside another name (买场官方号, 卖厂的官方号)."""
    for length in index.lengths:
        end = start + length
        window = text[start:end]
        if len(window) < length or not all(_CJK.match(c) for c in window):
            continue
        inside = [(a, b) for a, b in exact if a < end and start < b]
        if any(a < start or b > end or b - a >= length for a, b in inside):
            continue
        anchored = length > 2 or any(b == start or a in (end, end + 1) and text[end:a] in ("", "的") for a, b in exact)
        for name in _candidates(window, index):
            if anchored and _is_slip(window, name):
                return name
    return None


def _candidates(window: str, index: _Index) -> Iterator[str]:
    """Names of the window's length sharing at least one character in place."""
    seen: Set[str] = set()
    for position, character in enumerate(window):
        for name in index.by_place.get((len(window), position, character), ()):
            if name not in seen:
                seen.add(name)
                yield name


def _is_slip(window: str, name: str) -> bool:
    """Whether `window` is `name` mistyped: same sounds or shapes with enough
    characters kept, or (for long names) one character wrong."""
    differing = [i for i, (a, b) in enumerate(zip(window, name, strict=False)) if a != b]
    # At least half the name is typed right, so that common words which merely sound
    # alike (食品 for 视频) are left alone.
    if not differing or len(differing) > len(name) // 2:
        return False
    if all(_alike(window[i], name[i]) for i in differing):
        return True
    # A long name with one wrong character inside it (人店一休号); its first and last
    # characters carry its meaning (别家商品 is not 自家商品).
    inner = 0 < differing[0] < len(name) - 1
    return len(name) >= _NEAR_MISS_LENGTH and len(differing) == 1 and inner
