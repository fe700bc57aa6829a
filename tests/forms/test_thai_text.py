"""Thai line breaking: properties over generated text, and real paragraphs."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.forms.thai_text import (
    THAI_FOLLOWERS,
    break_lines,
    break_opportunities,
    grapheme_starts,
    segment,
    visible,
)

WORDS = ["น้ำเสีย", "บีโอดี", "ซีโอดี", "สิ่งปฏิกูล", "กากอุตสาหกรรม", "หม้อน้ำ", "โรงงาน",
         "ตรวจ", "ผ่าน", "ไม่ผ่าน", "ที่", "กิ่ง", "ป่า", "ปั้ม", "ญาติ", "ฐาน", "mg/L", "20",
         "5.5", " ", " ", "ID:10180000125417", "https://www.diw.go.th/a/b?c=1", "(", ")",
         "มาตรา", "พ.ร.บ.", "ค่า", "เกิน", "มาตรฐาน", "ผู้ประกอบกิจการ", "ข้อ", "3.2"]


def width(text: str) -> float:
    # Marks take no room, as in the shaped font; Latin narrower than Thai bases.
    return sum(0 if ch in THAI_FOLLOWERS else (0.6 if ch.isascii() else 1.0) for ch in text)


def allowed_positions(text: str) -> set[int]:
    """Boundaries an independent reader accepts: between newmm words, or between grapheme
    clusters inside a unit too wide for any line."""
    cuts, pos = set(), 0
    for token in segment(text):
        pos += len(token)
        cuts.add(pos)
    return cuts


texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=3, max_value=40))
def test_lines_rejoin_fit_and_never_split_a_cluster(text, max_width):
    lines = break_lines(text, width, max_width)
    assert "".join(lines) == text
    clusters = set(grapheme_starts(text)) | {len(text)}
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        assert pos in clusters, (text, lines)
        assert text[pos] not in THAI_FOLLOWERS
    for line in lines:
        fits = width(visible(line)) <= max_width
        single_cluster = len(grapheme_starts(visible(line))) <= 1
        assert fits or single_cluster, (line, max_width)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=8, max_value=40))
def test_breaks_fall_on_word_boundaries_when_words_fit(text, max_width):
    words = list(segment(text)) + re.findall(r"[!-~]+", text)
    if any(width(visible(w)) > max_width for w in words):
        return  # an over-wide unit legitimately breaks inside (tested above)
    cuts = allowed_positions(text)
    pos = 0
    for line in break_lines(text, width, max_width)[:-1]:
        pos += len(line)
        assert pos in cuts, (text, line)


def test_domain_words_stay_whole():
    for word in ("น้ำเสีย", "บีโอดี", "ซีโอดี", "สิ่งปฏิกูล", "กากอุตสาหกรรม", "หม้อน้ำ"):
        assert word in segment(f"ตรวจ{word}ของโรงงาน")


def test_long_id_wraps_between_characters():
    lines = break_lines("ID:10180000125417101800001254171018", width, 6)
    assert "".join(lines) == "ID:10180000125417101800001254171018"
    assert len(lines) > 1 and all(width(line) <= 6 for line in lines)


def test_compound_wider_than_the_line_breaks_between_its_words():
    lines = break_lines("กรมโรงงานอุตสาหกรรม", width, 11)
    assert "".join(lines) == "กรมโรงงานอุตสาหกรรม" and len(lines) == 2
    assert lines[0].startswith("กรมโรงงาน")  # not cut inside กรม or โรงงาน


def test_no_gap_is_inserted_and_spaces_stay_with_their_line():
    text = "ค่าบีโอดี 25 mg/L เกินมาตรฐาน"
    lines = break_lines(text, width, 10)
    assert "".join(lines) == text
    assert not any(line.startswith(" ") for line in lines)
    assert "\u200b" not in "".join(lines)


def test_unit_and_number_are_not_split():
    lines = break_lines("ค่าบีโอดี 25 mg/L", width, 7)
    assert not any(re.fullmatch(r"mg|/L", visible(line)) for line in lines)


def test_thai_digit_numbers_stay_whole():
    assert break_opportunities("ข้อ ๒.๑๐") == (4,)
    assert "≤ ๓,๐๐๐ " in break_lines("เกณฑ์ ≤ ๓,๐๐๐ mg/L", width, 7)


def test_a_bound_is_one_unit_with_its_number_and_unit():
    # "ไม่พบ (ND < 0.5 mg/L)" may end a line only inside or after ไม่พบ; "< 2 mg/L" and a
    # legal limit beside its label not at all (they break only when wider than a line).
    assert break_opportunities("ไม่พบ (ND < 0.5 mg/L)") == (3, 6)
    assert break_opportunities("< 2 mg/L") == ()
    assert break_opportunities("≤ ๓,๐๐๐ mg/L") == ()
    assert break_opportunities("เกณฑ์ ≤ 3,000 mg/L") == ()
    assert break_opportunities("มีคนงาน 25 คน") == (2, 8)    # a count stays with its word
    assert break_opportunities("ค่า A\u00a0ค่า") == (4,)   # a no-break space joins


def test_nd_goes_on_its_own_line_before_the_bound():
    text = "ไม่พบ (ND < 0.5 mg/L)"
    assert break_lines(text, width, width("(ND < 0.5 mg/L)")) == ["ไม่พบ ", "(ND < 0.5 mg/L)"]


bounds = st.tuples(st.sampled_from(["", "ไม่พบ (ND ", "เกณฑ์ ", "ค่าบีโอดี "]),
                   st.sampled_from(["<", "≤", "≥", "＜"]),
                   st.sampled_from(["2", "0.005", "12,500", "๓,๐๐๐"]),
                   st.sampled_from(["mg/L", "µS/cm", "°C", "มก./ล.", "dB(A)"]),
                   st.sampled_from(["", ")"]))


@settings(max_examples=300, deadline=None)
@given(bounds, st.integers(min_value=2, max_value=30))
def test_a_sign_never_ends_a_line_and_a_unit_never_starts_one(parts, max_width):
    head, sign, number, unit, tail = parts
    text = f"{head}{sign} {number} {unit}{tail}"
    lines = break_lines(text, width, max_width)
    assert "".join(lines) == text
    for line, following in zip(lines, lines[1:], strict=False):
        if width(f"{sign} {number}") <= max_width:
            assert not visible(line).endswith(sign), (lines, max_width)
        if width(f"{sign} {number} {unit}{tail}") <= max_width:
            assert not following.startswith(unit), (lines, max_width)


def test_no_break_where_a_longer_word_runs_across():
    # newmm reads สำนัก|งานอุตสาหกรรม; สำนักงาน|อุตสาหกรรม is the same text read the other way.
    text = "ประสานสำนักงานอุตสาหกรรมจังหวัด"
    assert text.index("งาน") not in break_opportunities(text)
    lines = break_lines(text, width, 9)
    assert "".join(lines) == text
    assert all("สำนักงาน" in line for line in lines if "สำนัก" in line)


def test_a_name_the_dictionary_does_not_know_stays_whole():
    text = "นางสาวพรทิพย์ ชุณหะวัณ ผู้อำนวยการ"
    start = text.index("ชุณหะวัณ")
    assert not [i for i in break_opportunities(text) if start < i < start + 8]
    # ... unless it cannot fit on a line by itself.
    lines = break_lines("ชุณหะวัณ", width, 4)
    assert "".join(lines) == "ชุณหะวัณ" and len(lines) > 1


def test_over_wide_compound_is_cut_between_words_before_graphemes():
    lines = break_lines("กระทรวงอุตสาหกรรม", width, 10)
    assert [visible(line) for line in lines] == ["กระทรวง", "อุตสาหกรรม"]
