"""Cover pictures for the demo posts, drawn with Pillow when the demo is loaded.

Each picture is an illustrative map: sea and land gradients, a coastline with
contour lines, rivers, a dashed line of control, labelled places and, if asked,
a route such as a pipeline. Drawing is seeded, so the same recipe always gives
the same picture, and done at twice the size then scaled down so that lines and
text come out smooth. Labels use Pillow's bundled font, so nothing depends on
the fonts installed on the machine (it has no em dash: keep labels plain).
"""

import io
import math
import random
from itertools import pairwise

from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH, HEIGHT = 1600, 900
SUPERSAMPLE = 2

# (dark, light) pairs: deep water to shallows, lowland to upland.
SEA_COLOURS = ("#16324f", "#3f7c8c")
LAND_COLOURS = ("#cbbd93", "#e8dcb8")
CONTOUR_COLOUR = "#a8976a"
COAST_COLOUR = "#5d5236"
SHELF_COLOUR = "#5a93a3"
GRID_COLOUR = "#d8d2bf"
RIVER_COLOUR = "#3b6f8f"
FRONT_COLOUR = "#b3261e"
INK = "#1f1f1f"
PAPER = "#fbf7ec"

Point = tuple[float, float]
Place = tuple[str, float, float]


def draw_map_cover(
    *, seed: int, places: tuple[Place, ...], caption: str, route: tuple[Point, ...] = ()
) -> bytes:
    """A 1600×900 JPEG of an invented map; places (label, x, y) and route points are in 0..1."""
    rng = random.Random(seed)
    width, height = WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE
    centre = (width * rng.uniform(0.36, 0.46), height * rng.uniform(0.42, 0.55))
    radii = (width * 0.46, height * 0.64)
    coast = _blob(rng, centre, radii, roughness=0.16)

    image = _gradient((width, height), SEA_COLOURS, angle=rng.uniform(20, 70))
    sea = ImageDraw.Draw(image)
    for scale in (1.08, 1.2, 1.36):
        shelf = _scaled(coast, centre, scale)
        sea.line([*shelf, shelf[0]], fill=SHELF_COLOUR, width=2 * SUPERSAMPLE, joint="curve")

    # Land is drawn on its own layer and pasted through the coastline mask,
    # so contours and rivers never spill into the sea.
    land_mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(land_mask).polygon(coast, fill=255)
    land = _gradient((width, height), LAND_COLOURS, angle=rng.uniform(200, 250))
    terrain = ImageDraw.Draw(land)
    summit = (centre[0] - radii[0] * 0.25, centre[1] - radii[1] * 0.1)
    for scale in (0.9, 0.7, 0.52, 0.36, 0.2):
        ring = _blob(rng, summit, (radii[0] * scale * 0.8, radii[1] * scale * 0.8), roughness=0.12)
        terrain.line([*ring, ring[0]], fill=CONTOUR_COLOUR, width=2 * SUPERSAMPLE, joint="curve")
    for _ in range(3):
        source = (
            summit[0] + rng.uniform(-0.3, 0.3) * radii[0],
            summit[1] + rng.uniform(-0.3, 0.3) * radii[1],
        )
        terrain.line(
            _river(rng, source, centre, land_mask),
            fill=RIVER_COLOUR,
            width=5 * SUPERSAMPLE,
            joint="curve",
        )
    image.paste(land, (0, 0), land_mask)

    draw = ImageDraw.Draw(image)
    draw.line([*coast, coast[0]], fill=COAST_COLOUR, width=3 * SUPERSAMPLE, joint="curve")
    _draw_graticule(draw, width, height)
    _draw_dashed(draw, _front_line(rng, width, height), FRONT_COLOUR, 5 * SUPERSAMPLE)

    if route:
        line = [(x * width, y * height) for x, y in route]
        draw.line(line, fill=PAPER, width=13 * SUPERSAMPLE, joint="curve")
        draw.line(line, fill=INK, width=7 * SUPERSAMPLE, joint="curve")
    label_font = ImageFont.load_default(size=30 * SUPERSAMPLE)
    for label, x, y in places:
        _draw_place(draw, (x * width, y * height), label, label_font)
    _draw_compass(draw, (width - 110 * SUPERSAMPLE, 120 * SUPERSAMPLE))
    _draw_caption(draw, caption, height)

    final = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    final.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _gradient(size: tuple[int, int], colours: tuple[str, str], *, angle: float) -> Image.Image:
    """A diagonal colour ramp: a weighted mix of a horizontal and a vertical one."""
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    weight = abs(math.sin(math.radians(angle)))
    ramp = Image.blend(horizontal, vertical, weight)
    if math.cos(math.radians(angle)) < 0:
        ramp = ImageOps.mirror(ramp)
    return ImageOps.colorize(ramp, black=colours[0], white=colours[1]).convert("RGB")


def _blob(rng: random.Random, centre: Point, radii: Point, *, roughness: float) -> list[Point]:
    """A wobbly closed outline around `centre`: random harmonics make bays and headlands."""
    harmonics = [
        (k, rng.uniform(0, roughness) / k**0.6, rng.uniform(0, math.tau)) for k in range(2, 10)
    ]
    points = []
    for step in range(360):
        theta = math.tau * step / 360
        wobble = 1 + sum(amp * math.sin(k * theta + phase) for k, amp, phase in harmonics)
        points.append(
            (
                centre[0] + radii[0] * wobble * math.cos(theta),
                centre[1] + radii[1] * wobble * math.sin(theta),
            )
        )
    return points


def _river(rng: random.Random, source: Point, centre: Point, land_mask: Image.Image) -> list[Point]:
    """A river: walk away from the middle of the land, heading drifting, until the sea."""
    x, y = source
    heading = math.atan2(y - centre[1], x - centre[0]) + rng.uniform(-0.6, 0.6)
    step = 18 * SUPERSAMPLE
    points = [(x, y)]
    for _ in range(400):
        heading += rng.uniform(-0.3, 0.3)
        x, y = x + step * math.cos(heading), y + step * math.sin(heading)
        points.append((x, y))
        inside = 0 <= x < land_mask.width and 0 <= y < land_mask.height
        if not inside or land_mask.getpixel((int(x), int(y))) == 0:
            break
    return points


def _scaled(points: list[Point], centre: Point, scale: float) -> list[Point]:
    """The outline `points` scaled about `centre`."""
    return [
        (centre[0] + (x - centre[0]) * scale, centre[1] + (y - centre[1]) * scale)
        for x, y in points
    ]


def _front_line(rng: random.Random, width: int, height: int) -> list[Point]:
    """A jagged north-south line of control across the middle of the map."""
    x = width * rng.uniform(0.5, 0.62)
    points = []
    for y in range(-20, height + 40, 40 * SUPERSAMPLE):
        x += rng.uniform(-22, 22) * SUPERSAMPLE
        points.append((x, float(y)))
    return points


def _draw_dashed(draw: ImageDraw.ImageDraw, points: list[Point], colour: str, width: int) -> None:
    """Draw a polyline as evenly spaced dashes that continue across its corners."""
    dash, gap = 26 * SUPERSAMPLE, 16 * SUPERSAMPLE
    travelled = 0.0
    for (x1, y1), (x2, y2) in pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        position = 0.0
        while position < length:
            phase = (travelled + position) % (dash + gap)
            run = min(dash - phase if phase < dash else dash + gap - phase, length - position)
            if phase < dash:
                start, end = position / length, (position + run) / length
                draw.line(
                    [
                        (x1 + (x2 - x1) * start, y1 + (y2 - y1) * start),
                        (x1 + (x2 - x1) * end, y1 + (y2 - y1) * end),
                    ],
                    fill=colour,
                    width=width,
                )
            position += run
        travelled += length


def _draw_graticule(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    """Faint grid lines, as on a printed map."""
    spacing = 160 * SUPERSAMPLE
    for x in range(spacing, width, spacing):
        draw.line([(x, 0), (x, height)], fill=GRID_COLOUR, width=SUPERSAMPLE)
    for y in range(spacing, height, spacing):
        draw.line([(0, y), (width, y)], fill=GRID_COLOUR, width=SUPERSAMPLE)


def _draw_place(
    draw: ImageDraw.ImageDraw, at: Point, label: str, font: ImageFont.FreeTypeFont
) -> None:
    """A dot with a haloed label to its right, readable on land or sea."""
    x, y = at
    radius = 10 * SUPERSAMPLE
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius),
        fill=INK,
        outline=PAPER,
        width=4 * SUPERSAMPLE,
    )
    draw.text(
        (x + radius + 8 * SUPERSAMPLE, y),
        label,
        font=font,
        anchor="lm",
        fill=INK,
        stroke_width=4 * SUPERSAMPLE,
        stroke_fill=PAPER,
    )


def _draw_compass(draw: ImageDraw.ImageDraw, at: Point) -> None:
    """A north arrow."""
    x, y = at
    size = 44 * SUPERSAMPLE
    draw.polygon([(x, y - size), (x + size * 0.4, y + size * 0.5), (x, y + size * 0.2)], fill=INK)
    draw.polygon(
        [(x, y - size), (x - size * 0.4, y + size * 0.5), (x, y + size * 0.2)],
        fill=PAPER,
        outline=INK,
    )
    font = ImageFont.load_default(size=26 * SUPERSAMPLE)
    draw.text(
        (x, y - size - 8 * SUPERSAMPLE),
        "N",
        font=font,
        anchor="md",
        fill=PAPER,
        stroke_width=SUPERSAMPLE,
        stroke_fill=INK,
    )


def _draw_caption(draw: ImageDraw.ImageDraw, caption: str, height: int) -> None:
    """The caption in a boxed label in the bottom-left corner."""
    font = ImageFont.load_default(size=22 * SUPERSAMPLE)
    margin = 28 * SUPERSAMPLE
    left, top, right, bottom = draw.textbbox(
        (margin * 2, height - margin * 2), caption, font=font, anchor="ld"
    )
    pad = 12 * SUPERSAMPLE
    draw.rectangle(
        (left - pad, top - pad, right + pad, bottom + pad),
        fill=PAPER,
        outline=INK,
        width=SUPERSAMPLE,
    )
    draw.text((margin * 2, height - margin * 2), caption, font=font, anchor="ld", fill=INK)
