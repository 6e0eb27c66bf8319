"""Draws the Leerlus icons (a loop with an arrow head on teal) as PNGs with only the standard library.

Run: python pwa/icons/make_icons.py  — writes icon-192.png, icon-512.png and maskable-512.png here.
"""

import math
import struct
import zlib
from pathlib import Path

TEAL = (11, 95, 90)
WHITE = (255, 255, 255)
SAMPLES = 4  # supersampling per axis, for smooth edges


def inside_shape(x: float, y: float, maskable: bool) -> tuple[bool, bool]:
    """(inside the background, inside the white mark) for a point in the unit square."""
    if maskable:
        background = True  # full bleed: the platform cuts its own mask
        scale = 0.8  # keep the mark inside the maskable safe zone
    else:
        # A rounded square with corner radius 0.22.
        r = 0.22
        dx = max(r - x, 0, x - (1 - r))
        dy = max(r - y, 0, y - (1 - r))
        background = dx * dx + dy * dy <= r * r
        scale = 1.0
    cx = (x - 0.5) / scale
    cy = (y - 0.5) / scale
    dist = math.hypot(cx, cy)
    angle = math.degrees(math.atan2(cy, cx)) % 360
    # The loop: a ring with a gap at the top right, where the arrow head points into it.
    ring = 0.20 <= dist <= 0.29 and not (290 <= angle <= 352)
    # Arrow head: a triangle on the end of the ring, pointing clockwise into the gap.
    tip = (0.5 + 0.245 * math.cos(math.radians(334)), 0.5 + 0.245 * math.sin(math.radians(334)))
    base_a = (0.5 + 0.13 * math.cos(math.radians(290)), 0.5 + 0.13 * math.sin(math.radians(290)))
    base_b = (0.5 + 0.36 * math.cos(math.radians(290)), 0.5 + 0.36 * math.sin(math.radians(290)))
    point = (cx + 0.5, cy + 0.5)
    arrow = _in_triangle(point, tip, base_a, base_b)
    # A dot in the middle: the moment the loop turns around.
    dot = dist <= 0.07
    return background, background and (ring or arrow or dot)


def _in_triangle(p, a, b, c) -> bool:
    def side(p1, p2, p3):
        return (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1])
    d1, d2, d3 = side(p, a, b), side(p, b, c), side(p, c, a)
    has_neg = d1 < 0 or d2 < 0 or d3 < 0
    has_pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (has_neg and has_pos)


def render(size: int, maskable: bool) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter type 0
        for px in range(size):
            bg = mark = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) / size
                    y = (py + (sy + 0.5) / SAMPLES) / size
                    inside, white = inside_shape(x, y, maskable)
                    bg += inside
                    mark += white
            n = SAMPLES * SAMPLES
            alpha = bg / n
            w = mark / bg if bg else 0
            colour = [round(TEAL[i] * (1 - w) + WHITE[i] * w) for i in range(3)]
            row += bytes(colour + [round(alpha * 255)])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    (here / "icon-192.png").write_bytes(render(192, maskable=False))
    (here / "icon-512.png").write_bytes(render(512, maskable=False))
    (here / "maskable-512.png").write_bytes(render(512, maskable=True))
