"""The office logo of ``fieldapp print --logo``: a file that is no image is named as the logo."""

from __future__ import annotations

import pytest

from fieldapp.core.errors import FieldAppError
from fieldapp.core.templates import load_template
from fieldapp.forms.inspection_form import render_blank_form
from fieldapp.forms.settings import PrintSettings


def test_a_logo_that_is_not_an_image_is_named(tmp_path):
    """It failed as "cannot read image: cannot identify image file <_io.BytesIO object at
    0x…>", which names neither the logo nor its file."""
    logo = tmp_path / "logo.png"
    logo.write_text("not a picture\n")
    template = load_template("resources/templates/complaint.json")
    out = tmp_path / "blank.pdf"
    with pytest.raises(FieldAppError) as refused:
        render_blank_form(template, out, settings=PrintSettings(office_logo=logo))
    assert f"office logo {logo} is not a PNG or JPEG image" in str(refused.value)
    assert "BytesIO" not in str(refused.value)
    assert not out.exists()
