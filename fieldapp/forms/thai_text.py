"""Thai line breaking: where a line of Thai may end, and how to fill lines to a width.

Thai is written without spaces between words, so a line may only end where a dictionary says
a word ends (PyThaiNLP's ``newmm`` plus a small domain dictionary of inspection words), never
inside a word and never between a base character and the marks above or below it. A break
opportunity costs no width: nothing is inserted into the text, lines are plain slices of it,
so joining the lines gives back the text exactly.

This module knows nothing about PDF or fonts: the width of a piece of text comes from a
``measure`` callable, so the same rules are tested here with any width function and used by
the PDF flowable with HarfBuzz-shaped widths (fieldapp.forms.shaping). No Qt, no I/O.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Only words that must never be split (transliterated units, fixed terms); long compounds
# stay out on purpose so that they can still break between their parts in narrow columns.
DOMAIN_WORDS = frozenset({
    "น้ำเสีย", "บีโอดี", "ซีโอดี", "ทีดีเอส", "เอสเอส", "สิ่งปฏิกูล", "กากอุตสาหกรรม",
    "หม้อน้ำ", "ไอน้ำ", "ไขมัน", "สารอันตราย", "วัตถุอันตราย", "ผู้ประกอบกิจการ",
    "พนักงานเจ้าหน้าที่", "ผู้แทนโรงงาน", "ธรรมาภิบาล", "สิ่งแวดล้อม", "ใบอนุญาต",
    "ข้อบกพร่อง", "ข้อร้องเรียน", "ฝุ่นละออง", "กลิ่นเหม็น", "ไอเสีย", "ถังดับเพลิง",
    "มิลลิกรัม", "ลิตร", "เดซิเบล", "องศาเซลเซียส",
})

# Marks that belong to the character before them (upper/lower vowels, tone marks, Thanthakhat,
# Nikhahit, Yamakkan) and SARA AM, which may never start a line either.
THAI_FOLLOWERS = frozenset(chr(c) for c in (0x0E31, *range(0x0E33, 0x0E3B),
                                            *range(0x0E47, 0x0E4F)))
# Leading vowels are written before the consonant they follow in speech: never end a line.
THAI_LEADING = frozenset("เแโใไ")
# Punctuation that may not start a line, and that may not end one.
NO_LINE_START = frozenset(")]}>,.:;!?%'\"”’ๆฯ")
NO_LINE_END = frozenset("([{<“‘\"'")

_THAI = re.compile(r"[\u0E00-\u0E7F]")
# Thai letters and marks, not Thai digits: ๒.๑๐ or ๓,๐๐๐ must stay whole like 2.10 or 3,000.
_THAI_LETTER = re.compile(r"[\u0E01-\u0E4F\u0E5A\u0E5B]")

Measure = Callable[[str], float]


def _is_follower(ch: str) -> bool:
    return ch in THAI_FOLLOWERS or unicodedata.category(ch) in ("Mn", "Me", "Mc") \
        or ch in ("\u200d", "\u200c")


def grapheme_starts(text: str) -> list[int]:
    """Offsets where a user-perceived character starts: a base character together with the
    marks that follow it (and a Thai leading vowel with the consonant after it)."""
    starts = []
    for i, ch in enumerate(text):
        if i and (_is_follower(ch) or text[i - 1] in THAI_LEADING):
            continue
        starts.append(i)
    return starts


@lru_cache(maxsize=1)
def _dictionary():
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie
    return dict_trie(set(thai_words()) | DOMAIN_WORDS)


def warm_up() -> None:
    """Load the word list now (about half a second) rather than on the first paragraph."""
    _dictionary()


@lru_cache(maxsize=20000)
def segment(text: str) -> tuple[str, ...]:
    """Dictionary word segmentation (newmm + DOMAIN_WORDS), spaces kept as tokens. Cached:
    the same labels and answers repeat on every form."""
    if not _THAI.search(text):
        return tuple(re.findall(r"\s+|\S+", text))
    from pythainlp.tokenize import word_tokenize
    return tuple(word_tokenize(text, engine="newmm", custom_dict=_dictionary(),
                               keep_whitespace=True))


def _break_allowed(text: str, pos: int) -> bool:
    """May a line end at ``pos`` (between text[pos-1] and text[pos])?"""
    before, after = text[pos - 1], text[pos]
    if after == "\n":
        return False  # the newline itself ends the line
    if before == "\n":
        return True
    if _is_follower(after) or before in THAI_LEADING:
        return False
    if after.isspace():
        return False  # spaces stay at the end of the line they follow
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isspace():
        return True
    # Between two non-Thai pieces (ids, units like mg/L, decimals, URLs) only a space breaks.
    return bool(_THAI_LETTER.match(before) or _THAI_LETTER.match(after))


@lru_cache(maxsize=20000)
def break_opportunities(text: str, segmentation: bool = True) -> tuple[int, ...]:
    """Offsets (0 < i < len) where a line may end. With ``segmentation`` off only spaces and
    newlines break (the floor for benchmarks: how Latin-script text breaks)."""
    if segmentation:
        cuts, pos = [], 0
        for token in segment(text)[:-1]:
            pos += len(token)
            cuts.append(pos)
    else:
        cuts = [m.end() for m in re.finditer(r"\s+", text) if m.end() < len(text)]
    # newmm may split around punctuation or inside Latin runs: keep only allowed offsets.
    return tuple(i for i in cuts if 0 < i < len(text) and _break_allowed(text, i))


def _units(text: str, segmentation: bool) -> list[str]:
    """``text`` cut at every break opportunity (and after every newline)."""
    cuts = set(break_opportunities(text, segmentation))
    cuts.update(m.end() for m in re.finditer("\n", text) if m.end() < len(text))
    pieces, last = [], 0
    for i in sorted(cuts):
        pieces.append(text[last:i])
        last = i
    pieces.append(text[last:])
    return [p for p in pieces if p]


def visible(line: str) -> str:
    """The part of a line that is drawn: trailing spaces and the newline take no room."""
    return line.rstrip()


_trie_lock = threading.Lock()


@lru_cache(maxsize=2000)
def _sub_words(unit: str) -> tuple[int, ...]:
    """Word boundaries inside a dictionary compound (กรมโรงงานอุตสาหกรรม = กรม|โรงงาน|อุตสาหกรรม),
    found by segmenting it with the compound itself taken out of the dictionary."""
    if len(unit) < 4:
        return ()
    from pythainlp.tokenize import word_tokenize
    trie = _dictionary()
    with _trie_lock:
        known = unit in trie
        if known:
            trie.remove(unit)
        try:
            tokens = word_tokenize(unit, engine="newmm", custom_dict=trie)
        finally:
            if known:
                trie.add(unit)
    cuts, pos = [], 0
    for token in tokens[:-1]:
        pos += len(token)
        cuts.append(pos)
    # Inside an over-wide unit any word boundary beats cutting a word: punctuation rules
    # are relaxed here, cluster rules are not.
    return tuple(i for i in cuts
                 if not _is_follower(unit[i]) and unit[i - 1] not in THAI_LEADING)


def _split_long(unit: str, measure: Measure, max_width: float) -> list[str]:
    """A unit wider than a whole line: cut between the words of a compound if it is one,
    else (a long id or URL) between grapheme clusters; as many pieces per line as fit (at
    least one, so wrapping always makes progress)."""
    starts = [0, *_sub_words(unit)]
    pieces = [unit[a:b] for a, b in zip(starts, [*starts[1:], len(unit)], strict=True)]
    if len(pieces) > 1 and all(measure(visible(p)) <= max_width for p in pieces):
        lines, current = [], ""
        for piece in pieces:
            if current and measure(visible(current + piece)) > max_width:
                lines.append(current)
                current = piece
            else:
                current += piece
        return [*lines, current]
    starts = grapheme_starts(unit)
    ends = starts[1:] + [len(unit)]
    pieces, current = [], ""
    for begin, end in zip(starts, ends, strict=True):
        cluster = unit[begin:end]
        if current and measure(visible(current + cluster)) > max_width:
            pieces.append(current)
            current = cluster
        else:
            current += cluster
    pieces.append(current)
    return pieces


def break_lines(text: str, measure: Measure, max_width: float, *,
                segmentation: bool = True) -> list[str]:
    """Fill lines greedily up to ``max_width`` (in the units of ``measure``).

    Every line is a slice of ``text`` (``"".join(lines) == text``), ends at a break
    opportunity or inside an unbreakable unit only at a grapheme boundary, and its visible
    part is no wider than ``max_width`` unless a single grapheme cluster is wider.
    """
    if not text:
        return []
    lines: list[str] = []
    current = ""
    for unit in _units(text, segmentation):
        candidate = current + unit
        if not current or measure(visible(candidate)) <= max_width:
            current = candidate
        else:
            lines.append(current)
            current = unit
        if measure(visible(current)) > max_width:
            pieces = _split_long(current, measure, max_width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
        if current.endswith("\n"):
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return lines
