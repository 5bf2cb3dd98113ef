"""The planning map page for community workers: one static HTML page plus vendored Leaflet
(npm `leaflet` 1.9.4, BSD-2-Clause, copied into app/static/vendor: no build step)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parents[2] / "static"

router = APIRouter(include_in_schema=False)


@router.get("/map")
async def map_page() -> FileResponse:
    return FileResponse(STATIC / "map" / "index.html", media_type="text/html; charset=utf-8")


static_files = StaticFiles(directory=STATIC)
