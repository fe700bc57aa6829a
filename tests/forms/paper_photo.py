"""Phone photos and scans of a printed page, made from a real PDF: the page rasterised, then
handled the way paper and phones handle it (lying on a desk, photographed at an angle,
rotated, a little out of focus, under uneven light, JPEG-compressed, with the camera's EXIF
orientation instead of rotated pixels). Tests of the QR reader and of the console's
"Verify a paper" page use them."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from fieldapp.forms.images import render_pdf_pages


@dataclass(frozen=True)
class Shot:
    """How the page is photographed."""

    dpi: float = 300            # how finely the paper is "printed" before the camera sees it
    desk: tuple = (120, 98, 76)  # the colour around the page
    angle: float = 7.0          # degrees the page is turned on the desk
    tilt: float = 0.12          # perspective: how much farther the top edge is than the bottom
    blur: float = 1.2           # Gaussian radius, in pixels of the final photo
    contrast: float = 1.0       # 1 = paper white and ink black; 0.4 = grey ink on grey paper
    shadow: bool = False        # a darker band over part of the page (a hand, a lamp)
    exif_rotation: int = 0      # 0, or 6/8: pixels stored sideways with the EXIF tag saying so
    quality: int = 70           # JPEG quality
    width: int = 3000           # the photo's long side in pixels
    seed: int = 1
    fmt: str = "JPEG"


def page_image(pdf: bytes, dpi: float = 300) -> Image.Image:
    """The first page of ``pdf`` as it comes out of a printer (RGB, white paper)."""
    return render_pdf_pages(pdf, dpi=dpi, pages=[0])[0].convert("RGB")


def photograph(pdf: bytes, shot: Shot = Shot()) -> bytes:
    """A photo of the PDF's first page, as the bytes a phone would upload."""
    rng = random.Random(shot.seed)
    page = page_image(pdf, shot.dpi)
    if shot.contrast < 1:
        grey = Image.new("RGB", page.size, (150, 150, 150))
        page = Image.blend(grey, page, shot.contrast)
    # The page lies on a desk, turned a little. Everything is done a quarter larger than
    # the photo (enough for the resampling to look like optics, and fast).
    w, h = page.size
    margin = int(max(w, h) * 0.12)
    scale = shot.width * 1.25 / (max(w, h) + 2 * margin)
    if scale < 1:
        page = page.resize((round(w * scale), round(h * scale)), Image.Resampling.LANCZOS)
        w, h = page.size
        margin = int(max(w, h) * 0.12)
    desk = Image.new("RGB", (w + 2 * margin, h + 2 * margin), shot.desk)
    desk.paste(page, (margin, margin))
    desk = desk.rotate(shot.angle, resample=Image.Resampling.BILINEAR, expand=False,
                       fillcolor=shot.desk)
    # Photographed from the bottom edge at an angle: the top edge is narrower.
    W, H = desk.size
    inset = int(W * shot.tilt / 2)
    quad = (-inset, 0, 0, H, W, H, W + inset, 0)  # source corners: TL, BL, BR, TR
    desk = desk.transform(desk.size, Image.Transform.QUAD, quad,
                          resample=Image.Resampling.BILINEAR, fillcolor=shot.desk)
    if shot.shadow:
        mask = Image.new("L", desk.size, 0)
        ImageDraw.Draw(mask).polygon([(0, 0), (W * 0.7, 0), (W * 0.3, H), (0, H)], fill=110)
        mask = mask.filter(ImageFilter.GaussianBlur(W // 30))
        desk = Image.composite(Image.new("RGB", desk.size, (0, 0, 0)), desk, mask)
    scale = shot.width / max(desk.size)
    photo = desk.resize((round(W * scale), round(H * scale)), Image.Resampling.LANCZOS)
    if shot.blur:
        photo = photo.filter(ImageFilter.GaussianBlur(shot.blur))
    photo = ImageChops.add(photo, Image.effect_noise(photo.size, 6 + rng.random() * 4)
                           .convert("RGB"), scale=1.0, offset=-128)
    exif = Image.Exif()
    if shot.exif_rotation:
        # The camera stores the sensor's pixels and says how to turn them for viewing.
        undo = {6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270,
                3: Image.Transpose.ROTATE_180}[shot.exif_rotation]
        photo = photo.transpose(undo)
        exif[0x0112] = shot.exif_rotation
    out = io.BytesIO()
    if shot.fmt == "JPEG":
        photo.save(out, "JPEG", quality=shot.quality, exif=exif.tobytes())
    else:
        photo.save(out, shot.fmt)
    return out.getvalue()


def scan(pdf: bytes, dpi: float = 200, fmt: str = "PNG") -> bytes:
    """A flatbed scan of the page: straight, grey, a little soft."""
    page = ImageOps.grayscale(page_image(pdf, dpi)).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    page.save(out, fmt)
    return out.getvalue()


def qr_picture(text: str, size: int = 600) -> bytes:
    """A JPEG of nothing but a QR code holding ``text`` (someone else's code)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=10, border=4)
    img = Image.open(io.BytesIO(out.getvalue())).convert("RGB").resize(
        (size, size), Image.Resampling.NEAREST)
    jpeg = io.BytesIO()
    img.save(jpeg, "JPEG", quality=85)
    return jpeg.getvalue()
