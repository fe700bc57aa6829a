"""Thai line breaking: where a line of Thai may end, and how to fill lines to a width.

Thai is written without spaces between words, so a line may only end where a dictionary says
a word ends (PyThaiNLP's ``newmm`` plus a small domain dictionary of inspection words), never
inside a word and never between a base character and the marks above or below it. A break
opportunity costs no width: nothing is inserted into the text, lines are plain slices of it,
so joining the lines gives back the text exactly.

Two kinds of newmm boundary are not trusted as break opportunities (``_word_breaks``):

- one that a dictionary word starting at an earlier word start runs across: the text can be
  read either way and one reading cuts a word (สำนัก|งานอุตสาหกรรม reads as สำนักงาน|อุตสาหกรรม
  too, so no line ends after สำนัก);
- one inside a word the dictionary does not know (a name: ชุณหะวัณ comes out as ชุ|ณ|หะ|วัณ).
  Text newmm cannot match at all (ณ) is part of an unknown word, together with the pieces on
  either side of it and the rare words (TTC corpus frequency below ``RARE``) that continue it:
  newmm matches such syllables as words only because some rare word happens to be spelled so.

Such a group is broken inside only when it does not fit on a line by itself (``_split_long``).

Measured values are joined where a reader must not lose the thread (``_glued``): no line ends
between a comparison sign and its number (``< 0.5``, ``≤ 3,000``), between a number and the
word after it, its unit (``0.5 mg/L``, ``25 คน``), or at a no-break space or word joiner.
These joins hold even inside a unit too wide for a line; only a single number-and-unit wider
than the whole line is cut, between grapheme clusters. A line also does not end before such
a sign (``ND < 0.5`` stays whole, so ``ไม่พบ`` goes first, not ``ไม่พบ (ND``), but
that join gives way when the expression does not fit on a line by itself.

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

# Comparison signs that begin a bound (a lab's "< 0.5", a legal "≤ 3,000"), and the characters
# that glue their neighbours as Unicode says (no-break spaces, word joiner, zero-width no-break).
_SIGNS = "<>≤≥＜＞‹›≦≧"
_JOINERS = frozenset("\u00a0\u202f\u2007\u2060\ufeff")
_SIGN_END = re.compile(f"[{_SIGNS}]\\s*$")
_NUMBER_END = re.compile(r"[0-9\u0E50-\u0E59]\s*$")
_NUMBER_START = re.compile(r"\s*[0-9\u0E50-\u0E59]")
_UNIT_START = re.compile(f"\\s*[^\\s0-9\u0E50-\u0E59{_SIGNS}]")
_BOUND_START = re.compile(f"[{_SIGNS}]\\s*[0-9\u0E50-\u0E59]")
# How far back a join looks: a sign or digit and the spaces after it.
_LOOK_BACK = 8


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


# Words seen fewer times than this in the Thai textbook corpus (TTC, about 1.3 million words)
# count as rare: next to unknown text, they are more likely its syllables than words.
RARE = 50
# Longest dictionary word looked for at a word start, in characters.
_LONGEST_WORD = 40


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    from pythainlp.corpus import ttc
    return dict(ttc.word_freqs())


def warm_up() -> None:
    """Load the word list now (about half a second) rather than on the first paragraph."""
    _dictionary()
    _frequencies()


@lru_cache(maxsize=20000)
def segment(text: str) -> tuple[str, ...]:
    """Dictionary word segmentation (newmm + DOMAIN_WORDS), spaces kept as tokens. Cached:
    the same labels and answers repeat on every form."""
    if not _THAI.search(text):
        return tuple(re.findall(r"\s+|\S+", text))
    from pythainlp.tokenize import word_tokenize
    return tuple(word_tokenize(text, engine="newmm", custom_dict=_dictionary(),
                               keep_whitespace=True))


# How strongly ``_glued`` holds a position together: not at all, a number and its unit,
# a sign and its number (or a no-break character).
FREE, UNIT, BOUND = 0, 1, 2


def _glued(text: str, pos: int) -> int:
    """How strongly ``pos`` lies inside a join (FREE, UNIT or BOUND; module docstring). A unit
    too wide for a line gives way at UNIT joins first, at BOUND joins last."""
    if text[pos - 1] in _JOINERS or text[pos] in _JOINERS:
        return BOUND
    left, right = text[max(0, pos - _LOOK_BACK):pos], text[pos:pos + _LOOK_BACK]
    if _SIGN_END.search(left) and _NUMBER_START.match(right):
        return BOUND
    return UNIT if _NUMBER_END.search(left) and _UNIT_START.match(right) else FREE


def _break_allowed(text: str, pos: int, glue: int = FREE) -> bool:
    """May a line end at ``pos`` (between text[pos-1] and text[pos])? Joins stronger than
    ``glue`` forbid it; with ``glue`` above FREE, a line may also end before a bound."""
    before, after = text[pos - 1], text[pos]
    if after == "\n":
        return False  # the newline itself ends the line
    if before == "\n":
        return True
    if _glued(text, pos) > glue or (glue == FREE and _BOUND_START.match(text, pos)):
        return False
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


def _spans(tokens) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for token in tokens:
        spans.append((pos, pos + len(token)))
        pos += len(token)
    return spans


def _longest_word(text: str, start: int, trie) -> int:
    """Length of the longest dictionary word at ``start`` (0 if none)."""
    words = trie.prefixes(text[start:start + _LONGEST_WORD])
    return max(map(len, words), default=0)


def _unknown_word_joins(tokens, spans, trie) -> set[int]:
    """Token starts that lie inside an unknown word (see the module docstring)."""
    thai = [all(_THAI_LETTER.match(c) for c in t) for t in tokens]
    freq = _frequencies()
    joined: set[int] = set()
    for i, token in enumerate(tokens):
        if not thai[i] or token in trie:
            continue
        lo, hi = i, i
        if lo > 0 and thai[lo - 1]:
            lo -= 1
        while lo > 0 and thai[lo - 1] and freq.get(tokens[lo - 1], 0) < RARE:
            lo -= 1
        if hi < len(tokens) - 1 and thai[hi + 1]:
            hi += 1
        while hi < len(tokens) - 1 and thai[hi + 1] and freq.get(tokens[hi + 1], 0) < RARE:
            hi += 1
        joined.update(spans[k][0] for k in range(lo + 1, hi + 1))
    return joined


def _word_breaks(text: str, tokens: tuple[str, ...], *, across: bool = True) -> list[int]:
    """The word boundaries of ``tokens`` a line may end at: not inside an unknown word, and
    (``across``) not inside a dictionary word that starts at an earlier word start."""
    trie = _dictionary()
    spans = _spans(tokens)
    joined = _unknown_word_joins(tokens, spans, trie)
    cuts, reach = [], 0
    for start, _end in spans:
        if start and start not in joined and (start >= reach or not across):
            cuts.append(start)
        if across:
            reach = max(reach, start + _longest_word(text, start, trie))
    return cuts


@lru_cache(maxsize=20000)
def break_opportunities(text: str, segmentation: bool = True) -> tuple[int, ...]:
    """Offsets (0 < i < len) where a line may end. With ``segmentation`` off only spaces and
    newlines break (the floor for benchmarks: how Latin-script text breaks)."""
    if segmentation:
        cuts = _word_breaks(text, segment(text))
    else:
        cuts = [m.end() for m in re.finditer(r"\s+", text) if m.end() < len(text)]
    # newmm may split around punctuation or inside Latin runs: keep only allowed offsets.
    return tuple(i for i in cuts if 0 < i < len(text) and _break_allowed(text, i))


Spans = tuple[tuple[int, int], ...]


def _units(text: str, segmentation: bool, keep: Spans = ()) -> list[str]:
    """``text`` cut at every break opportunity (and after every newline), none inside a
    ``keep`` span."""
    cuts = set(break_opportunities(text, segmentation))
    cuts = {c for c in cuts if not any(start < c < end for start, end in keep)}
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
def _inner_cuts(unit: str) -> tuple[tuple[int, ...], ...]:
    """Ways to cut a unit too wide for a line, best first, each a tuple of offsets:

    1. longest dictionary words from the start (สำนักงาน|อุตสาหกรรม, not สำนัก|งาน...);
    2. newmm's words, an unknown word kept whole;
    3. newmm's words;
    each first where a Thai word ends or a space is, none inside a join (``_glued``); then a
    measured value's joins, weakest first; then 1-3 anywhere (mg|/L).
    The unit itself is taken out of the dictionary first, so that a dictionary compound
    (กรมโรงงานอุตสาหกรรม) is cut between its words. Grapheme clusters come last
    (``_split_long``)."""
    if len(unit) < 4:
        return ()
    from pythainlp.tokenize import word_tokenize
    trie = _dictionary()
    with _trie_lock:
        known = unit in trie
        if known:
            trie.remove(unit)
        try:
            greedy, pos = [], 0
            while pos < len(unit):
                step = _longest_word(unit, pos, trie)
                if not step:
                    greedy = []
                    break
                pos += step
                greedy.append(pos)
            tokens = tuple(word_tokenize(unit, engine="newmm", custom_dict=trie))
            whole_unknown = _word_breaks(unit, tokens, across=False)
        finally:
            if known:
                trie.add(unit)
    newmm = [end for _start, end in _spans(tokens)]
    words = (greedy[:-1], whole_unknown, newmm[:-1])

    def cluster_ok(i: int) -> bool:
        return not _is_follower(unit[i]) and unit[i - 1] not in THAI_LEADING \
            and not _glued(unit, i)

    def word_ok(i: int) -> bool:   # a Thai word boundary or after a space
        return bool(unit[i - 1].isspace() or _THAI_LETTER.match(unit[i - 1])
                    or _THAI_LETTER.match(unit[i]))

    # Inside an over-wide unit any word boundary beats cutting a word: punctuation rules
    # are relaxed here, cluster rules are not. A measured value wider than the line goes
    # between the number and its unit, then between the sign and the number, before a cut
    # inside a Latin run (mg|/L) or a number.
    candidates = [tuple(i for i in cuts if 0 < i < len(unit) and cluster_ok(i) and word_ok(i))
                  for cuts in words]
    candidates += [tuple(i for i in range(1, len(unit)) if _glued(unit, i) == glue
                         and _break_allowed(unit, i, glue)) for glue in (UNIT, BOUND)]
    candidates += [tuple(i for i in cuts if 0 < i < len(unit) and cluster_ok(i))
                   for cuts in words]
    levels = []
    for cuts in candidates:
        if cuts and cuts not in levels:
            levels.append(cuts)
    return tuple(levels)


def _pieces(unit: str, measure: Measure, max_width: float) -> list[str]:
    """``unit`` cut into pieces that each fit a line: at the best way of ``_inner_cuts``, a
    piece still too wide cut again the same way, and as the last resort between grapheme
    clusters."""
    if measure(visible(unit)) <= max_width:
        return [unit]
    levels = _inner_cuts(unit)
    if levels:
        starts = [0, *levels[0]]
        out = []
        for a, b in zip(starts, [*starts[1:], len(unit)], strict=True):
            out += _pieces(unit[a:b], measure, max_width)
        return out
    starts = grapheme_starts(unit)
    return [unit[a:b] for a, b in zip(starts, [*starts[1:], len(unit)], strict=True)]


def _split_long(unit: str, measure: Measure, max_width: float, current: str = "") -> list[str]:
    """A unit wider than a whole line: cut into pieces (``_pieces``: between words, an unknown
    word or a long id between grapheme clusters), as many pieces per line as fit (at least
    one, so wrapping always makes progress), the first ones after ``current`` if they fit."""
    lines = []
    for piece in _pieces(unit, measure, max_width):
        if current and measure(visible(current + piece)) > max_width:
            lines.append(current)
            current = piece
        else:
            current += piece
    return [*lines, current]


def break_lines(text: str, measure: Measure, max_width: float, *,
                segmentation: bool = True, keep: Spans = ()) -> list[str]:
    """Fill lines greedily up to ``max_width`` (in the units of ``measure``).

    Every line is a slice of ``text`` (``"".join(lines) == text``), ends at a break
    opportunity or inside an unbreakable unit only at a grapheme boundary, and its visible
    part is no wider than ``max_width`` unless a single grapheme cluster is wider.
    ``keep``: (start, end) spans of text that is one unit, such as a place name with its
    label in an address (ตำบลห้วยยางขาม, which newmm reads as ห้วย|ยาง|ขาม): no line ends
    inside one unless it is wider than a line by itself.
    """
    if not text:
        return []
    lines: list[str] = []
    current = ""
    for unit in _units(text, segmentation, keep):
        if current and measure(visible(current + unit)) > max_width:
            if measure(visible(unit)) <= max_width:
                lines.append(current)
                current = unit
            else:
                # Cut anyway: the unit's first pieces may still finish this line.
                *done, current = _split_long(unit, measure, max_width, current)
                lines.extend(done)
        else:
            current += unit
            if measure(visible(current)) > max_width:  # a unit alone, too wide for a line
                *done, current = _split_long(current, measure, max_width)
                lines.extend(done)
        if current.endswith("\n"):
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return lines
