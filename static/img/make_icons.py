"""Draws static/img/icon-192.png and icon-512.png from the shapes of icon.svg (the
web app manifest wants PNGs). No imaging library: circles and strokes, four samples
a pixel. Run again after changing icon.svg: python static/img/make_icons.py"""

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).parent
TEAL, CREAM, GOLD = (0x1D, 0x5C, 0x63), (0xF6, 0xF4, 0xEF), (0xF2, 0xB8, 0x4B)
# The icon fills a full square (a maskable icon keeps its middle 80%): cream background.
CIRCLES = [((16, 16), 4.5, CREAM), ((16, 6.5), 2.6, GOLD), ((24.2, 20.8), 2.6, GOLD)]
CIRCLES += [((7.8, 20.8), 2.6, GOLD)]
STROKES = [((16, 11.5), (16, 9)), ((20, 18.3), (22.1, 19.5)), ((12, 18.3), (9.9, 19.5))]


def _segment_distance(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def colour_at(x: float, y: float) -> tuple[int, int, int]:
    colour = CREAM
    if math.hypot(x - 16, y - 16) <= 15:
        colour = TEAL
    for (cx, cy), r, c in CIRCLES[:1]:
        if math.hypot(x - cx, y - cy) <= r:
            colour = c
    if any(_segment_distance((x, y), a, b) <= 0.7 for a, b in STROKES):
        colour = CREAM
    for (cx, cy), r, c in CIRCLES[1:]:
        if math.hypot(x - cx, y - cy) <= r:
            colour = c
    return colour


def draw(size: int) -> bytes:
    scale, offsets = 32 / size, (0.25, 0.75)
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            samples = [
                colour_at((i + a) * scale, (j + b) * scale) for a in offsets for b in offsets
            ]
            row += bytes(sum(s[k] for s in samples) // len(samples) for k in range(3))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"".join(rows), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for size in (192, 512):
        (HERE / f"icon-{size}.png").write_bytes(draw(size))
