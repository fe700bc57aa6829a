"""Draw the FieldApp icon (a clipboard with a check mark) into resources/icons.

Run once when the design changes: ``.venv/bin/python build/make_icon.py``. The PNG is used by
the window, the ICO (several sizes in one file) by the Windows executable in the spec.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
GREEN, WHITE, PAPER, INK = (22, 112, 74), (255, 255, 255), (246, 244, 236), (22, 112, 74)


def draw(size: int = 256) -> Image.Image:
    """The icon at ``size`` pixels, drawn at 4x and scaled down for smooth edges."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0.06 * s, 0.06 * s, 0.94 * s, 0.94 * s), radius=0.18 * s, fill=GREEN)
    d.rounded_rectangle((0.24 * s, 0.18 * s, 0.76 * s, 0.84 * s), radius=0.05 * s, fill=PAPER)
    d.rounded_rectangle((0.38 * s, 0.12 * s, 0.62 * s, 0.24 * s), radius=0.04 * s, fill=WHITE,
                        outline=INK, width=int(0.015 * s))
    d.line([(0.34 * s, 0.52 * s), (0.46 * s, 0.66 * s), (0.68 * s, 0.38 * s)], fill=INK,
           width=int(0.07 * s), joint="curve")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(ICONS / "fieldapp.png")
    big.save(ICONS / "fieldapp.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                            (128, 128), (256, 256)])
    print(f"wrote {ICONS / 'fieldapp.png'} and {ICONS / 'fieldapp.ico'}")


if __name__ == "__main__":
    main()
