"""The console's own files: stylesheet, script and the Sarabun font, all served here (an
office may have no internet, and the policy allows no other origin)."""

from __future__ import annotations

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from fieldapp.core.resources import resource_path
from fieldapp.forms.fonts import font_folder


def mounts() -> list[Mount]:
    return [
        Mount("/static/fonts", StaticFiles(directory=str(font_folder())), name="fonts"),
        Mount("/static", StaticFiles(directory=str(resource_path("console", "static"))),
              name="static"),
    ]
