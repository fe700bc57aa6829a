"""Reading the verification code from photos and scans of a printed page (forms/qr_photo.py)
and from a scanned PDF's pages: real rendered forms, photographed the hard ways, and files
that try to hurt the reader."""

from __future__ import annotations

import io
import time

import pytest
from paper_photo import Shot, photograph, qr_picture, scan
from PIL import Image

from fieldapp.forms import qr_photo
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.verification import read_pdf_payload, read_photo_payload, read_qr_payload


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A finalized inspection's printed PDF and the payload it carries."""
    from test_server_verification import printable_record

    from fieldapp.store.changes import save_row
    from fieldapp.store.db import open_store
    from fieldapp.store.factories import factory_id
    from fieldapp.store.templates import install_bundled_templates

    path = tmp_path_factory.mktemp("laptop") / "fieldapp.db"
    store = open_store(path)
    try:
        install_bundled_templates(store)
        fid = "10100000000001"
        save_row(store, "factories", {"id": factory_id(fid), "fid": fid, "name": "โรงงานหนึ่ง",
                                      "province_code": "10", "province": "กรุงเทพมหานคร"})
        pdf = render_inspection_pdf(store, printable_record(store, factory_id(fid)))
    finally:
        store.close()
    return pdf, read_pdf_payload(pdf), path


@pytest.mark.parametrize("shot", [
    Shot(seed=1),
    Shot(exif_rotation=6, angle=-6, seed=2),                    # camera held sideways
    Shot(exif_rotation=3, angle=4, tilt=0.22, seed=3),          # upside down, steep angle
    Shot(contrast=0.35, seed=4),                                # grey ink on grey paper
    Shot(shadow=True, contrast=0.6, blur=1.3, seed=5),          # half the page in shadow
    Shot(width=4032, quality=45, blur=1.4, seed=6),             # 12 MP, heavy compression
], ids=["plain", "exif-sideways", "upside-down-angled", "low-contrast", "shadow", "12mp"])
def test_photos_of_the_printed_page_read(printed, shot):
    pdf, payload, _ = printed
    assert read_photo_payload(photograph(pdf, shot)) == payload


def test_scans_read(printed):
    pdf, payload, _ = printed
    assert read_photo_payload(scan(pdf, fmt="PNG")) == payload
    assert read_photo_payload(scan(pdf, dpi=300, fmt="JPEG")) == payload


def test_a_huge_jpeg_is_decoded_at_a_reduced_scale(printed):
    """A 50 MP photo opens at the working size, straight from the JPEG's DCT data."""
    big = Image.new("L", (8160, 6120), 200)
    out = io.BytesIO()
    big.save(out, "JPEG", quality=50)
    image = qr_photo.open_photo(out.getvalue())
    assert max(image.size) <= qr_photo.WORK_SIDE and image.mode == "L"


def test_exif_orientation_turns_the_picture_upright():
    img = Image.new("L", (300, 100), 255)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    assert qr_photo.open_photo(out.getvalue()).size == (100, 300)


def test_the_time_budget_is_kept():
    """A picture with no code in it stops trying when its time is up."""
    noise = Image.effect_noise((3000, 2200), 60)
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=80)
    started = time.monotonic()
    assert read_photo_payload(out.getvalue(), budget_s=1.0) is None
    assert time.monotonic() - started < 4.0  # one attempt may finish after the deadline


def test_a_code_that_is_not_ours_reads_as_none():
    assert read_photo_payload(qr_picture("https://example.com/x")) is None


@pytest.mark.parametrize("data, kind", [
    (b"GIF89a" + b"\0" * 100, "not_image"),
    (b"\xff\xd8\xff\xe0\0\x10JFIF\0", "damaged"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "damaged"),
])
def test_bad_pictures_raise_a_reason(data, kind):
    with pytest.raises(qr_photo.PhotoError) as caught:
        qr_photo.open_photo(data)
    assert caught.value.kind == kind and "(" in str(caught.value)


def test_a_png_claiming_too_many_pixels_is_refused_before_decoding():
    img = Image.new("1", (8000, 6000), 1)   # 48 MP, a few kilobytes compressed
    out = io.BytesIO()
    img.save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(qr_photo.PhotoError) as caught:
        qr_photo.open_photo(out.getvalue())
    assert caught.value.kind == "too_many_pixels"


def test_a_scanned_pdf_reads_from_its_page_and_a_giant_page_is_bounded(printed):
    pdf, payload, _ = printed
    picture = Image.open(io.BytesIO(scan(pdf, dpi=250))).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PDF", resolution=250)
    assert read_pdf_payload(out.getvalue()) is None
    assert read_qr_payload(out.getvalue()) == payload
    # A page claiming 200 x 200 inches renders at most QR_MAX_SIDE pixels a side.
    from fieldapp.forms.images import render_pdf_pages_bounded
    giant = io.BytesIO()
    Image.new("L", (100, 100), 255).save(giant, "PDF", resolution=0.5)
    pages = list(render_pdf_pages_bounded(giant.getvalue(), dpi=300, max_pages=3,
                                          max_side=4000))
    assert len(pages) == 1 and max(pages[0].size) <= 4000


def test_fieldapp_verify_takes_a_photo(printed, tmp_path, capsys):
    from fieldapp.cli import main

    pdf, payload, db = printed
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(photograph(pdf, Shot(exif_rotation=8, seed=9)))
    assert main(["--db", str(db), "verify", "--local", str(photo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MATCH") and payload.record_id in out
    noise = tmp_path / "noise.png"
    Image.effect_noise((400, 300), 50).save(noise)
    assert main(["--db", str(db), "verify", "--local", str(noise)]) == 2
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(photo.read_bytes()[:500])
    assert main(["--db", str(db), "verify", "--local", str(broken)]) != 0
    assert "เสียหาย" in capsys.readouterr().err
