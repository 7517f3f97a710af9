"""Pictures for the demo newsroom, drawn with Pillow: a scene for each kind of story
(a parliament dome, a city skyline, a stock chart, a lab flask, a theatre curtain, a
stadium…) in a palette chosen by a seed, so that sections and stories look different."""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageOps

from .models import Image

Colour = tuple[int, int, int]
Point = tuple[float, float]


@dataclass(frozen=True)
class Palette:
    sky_top: Colour
    sky_bottom: Colour
    light: Colour
    near_hills: Colour
    description: str


PALETTES = [
    Palette((38, 52, 110), (246, 190, 160), (255, 236, 200), (52, 38, 74), "dawn"),
    Palette((70, 140, 210), (200, 228, 245), (255, 250, 225), (38, 92, 54), "midday"),
    Palette((60, 40, 90), (250, 140, 70), (255, 200, 120), (30, 28, 50), "sunset"),
    Palette((10, 16, 40), (40, 60, 100), (235, 235, 220), (8, 12, 24), "night"),
    Palette((150, 170, 190), (232, 236, 240), (255, 255, 250), (96, 110, 128), "winter"),
    Palette((200, 120, 60), (250, 220, 160), (255, 245, 210), (120, 60, 30), "haze"),
]

SKY_WORDS = {
    "dawn": "at dawn",
    "midday": "under a clear blue sky",
    "sunset": "against an orange sunset",
    "night": "at night",
    "winter": "on a grey winter day",
    "haze": "in a warm haze",
}


@dataclass(frozen=True)
class Drawing:
    """A drawn scene: the picture, words describing it for the alt text, its focal point."""

    picture: PILImage.Image
    description: str
    focal_point: Point


def _by_seed(seed: int, options: list):
    """One of `options`: consecutive seeds get different ones."""
    return options[seed % len(options)]


def mix(first: Colour, second: Colour, share: float) -> Colour:
    return tuple(round(a + (b - a) * share) for a, b in zip(first, second, strict=True))


def _sky(size: tuple[int, int], top: Colour, bottom: Colour) -> PILImage.Image:
    gradient = PILImage.linear_gradient("L").resize(size, PILImage.Resampling.BILINEAR)
    return ImageOps.colorize(gradient, top, bottom)


def _glow(picture: PILImage.Image, centre: tuple[int, int], radius: int, colour: Colour) -> None:
    glow_size = radius * 8
    glow = PILImage.radial_gradient("L").resize((glow_size, glow_size))
    # The gradient reaches 181 at the middle of each edge; fading to 0 there hides the square.
    glow = glow.point(lambda value: max(0, 181 - value) * 0.8)
    corner = (centre[0] - glow_size // 2, centre[1] - glow_size // 2)
    picture.paste(PILImage.new("RGB", glow.size, colour), corner, glow)


def _disc(draw: ImageDraw.ImageDraw, centre: Point, radius: float, fill: Colour) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def draw_landscape(seed: int, size: tuple[int, int]) -> tuple[PILImage.Image, Palette, Point]:
    """A landscape picture for `seed` (always the same one), its palette and where its sun is."""
    rng = random.Random(seed)
    palette = PALETTES[seed % len(PALETTES)]
    width, height = size
    picture = _sky(size, palette.sky_top, palette.sky_bottom)
    sun_x, sun_y = rng.uniform(0.2, 0.8), rng.uniform(0.22, 0.45)
    radius = round(height * rng.uniform(0.05, 0.08))
    centre = (round(sun_x * width), round(sun_y * height))
    _glow(picture, centre, radius, palette.light)
    draw = ImageDraw.Draw(picture)
    _disc(draw, centre, radius, palette.light)
    layers = 4
    for layer in range(layers):
        # Far hills fade into the sky; near ones are darker and taller.
        nearness = (layer + 1) / layers
        colour = mix(palette.sky_bottom, palette.near_hills, 0.35 + 0.65 * nearness)
        base = height * (0.55 + 0.1 * layer)
        waves = [
            (rng.uniform(0.6, 2.2) / width * math.tau, rng.uniform(0, math.tau), amplitude)
            for amplitude in (height * 0.08, height * 0.03, height * 0.012)
        ]
        ridge = [
            (x, base - sum(a * math.sin(f * x + p) for f, p, a in waves))
            for x in range(0, width + 16, 16)
        ]
        draw.polygon([*ridge, (width, height), (0, height)], fill=colour)
    return picture, palette, (sun_x, sun_y)


def _hills(seed: int, size: tuple[int, int]) -> Drawing:
    picture, palette, sun = draw_landscape(seed, size)
    light = "a full moon" if palette.description == "night" else "the sun"
    return Drawing(picture, f"layered hills with {light} {SKY_WORDS[palette.description]}", sun)


def _dome(seed: int, size: tuple[int, int]) -> Drawing:
    """A parliament: a colonnade under a dome with a flag, in front of the sky."""
    rng = random.Random(seed)
    palette = PALETTES[seed % len(PALETTES)]
    width, height = size
    picture = _sky(size, palette.sky_top, palette.sky_bottom)
    stone = mix((236, 228, 212), palette.sky_bottom, 0.25)
    shade = mix(stone, palette.near_hills, 0.45)
    draw = ImageDraw.Draw(picture)
    centre_x = width * rng.uniform(0.42, 0.58)
    base_y, top_y = height * 0.86, height * 0.52
    half = width * 0.36
    draw.rectangle((0, base_y, width, height), fill=mix(shade, (40, 40, 40), 0.3))
    draw.rectangle((centre_x - half, top_y, centre_x + half, base_y), fill=stone)
    columns = 14
    for number in range(columns):
        x = centre_x - half + (number + 0.5) * (2 * half / columns)
        draw.rectangle(
            (x - width * 0.008, top_y + height * 0.05, x + width * 0.008, base_y), fill=shade
        )
    draw.polygon(
        [
            (centre_x - half * 0.45, top_y),
            (centre_x, top_y - height * 0.09),
            (centre_x + half * 0.45, top_y),
        ],
        fill=mix(stone, (255, 255, 255), 0.2),
    )
    drum = width * 0.12
    draw.rectangle(
        (centre_x - drum, top_y - height * 0.16, centre_x + drum, top_y - height * 0.08), fill=shade
    )
    draw.pieslice(
        (
            centre_x - drum,
            top_y - height * 0.16 - drum,
            centre_x + drum,
            top_y - height * 0.16 + drum,
        ),
        180,
        360,
        fill=mix(stone, palette.near_hills, 0.2),
    )
    lantern_top = top_y - height * 0.16 - drum
    draw.rectangle(
        (
            centre_x - width * 0.012,
            lantern_top - height * 0.05,
            centre_x + width * 0.012,
            lantern_top + 4,
        ),
        fill=shade,
    )
    pole_top = lantern_top - height * 0.14
    draw.line(
        (centre_x, lantern_top - height * 0.05, centre_x, pole_top),
        fill=(40, 40, 40),
        width=max(3, width // 400),
    )
    flag = rng.choice([(196, 30, 36), (20, 60, 140), (30, 110, 70)])
    draw.polygon(
        [
            (centre_x, pole_top),
            (centre_x + width * 0.07, pole_top + height * 0.02),
            (centre_x, pole_top + height * 0.05),
        ],
        fill=flag,
    )
    return Drawing(
        picture,
        f"a domed parliament building with columns and a flag {SKY_WORDS[palette.description]}",
        (centre_x / width, 0.45),
    )


def _fortress(seed: int, size: tuple[int, int]) -> Drawing:
    """A red brick fortress wall with towers and green spires above a river."""
    rng = random.Random(seed)
    palette = PALETTES[seed % 3]
    width, height = size
    picture = _sky(size, palette.sky_top, palette.sky_bottom)
    sun = (round(width * 0.7), round(height * 0.3))
    _glow(picture, sun, round(height * 0.06), palette.light)
    draw = ImageDraw.Draw(picture)
    _disc(draw, sun, height * 0.06, palette.light)
    brick, dark = (150, 42, 36), (104, 28, 26)
    wall_top, wall_bottom = height * 0.58, height * 0.78
    draw.rectangle((0, wall_top, width, wall_bottom), fill=brick)
    merlon = width / 60
    for number in range(60):
        x = number * merlon
        draw.polygon(
            [
                (x + merlon * 0.15, wall_top),
                (x + merlon * 0.15, wall_top - merlon * 0.9),
                (x + merlon * 0.5, wall_top - merlon * 0.55),
                (x + merlon * 0.85, wall_top - merlon * 0.9),
                (x + merlon * 0.85, wall_top),
            ],
            fill=brick,
        )
    for share, tall in [(0.12, 0.34), (0.38, 0.42), (0.62, 0.3), (0.86, 0.38)]:
        x, tower_w = width * share, width * 0.055
        top = height * (0.78 - tall)
        draw.rectangle(
            (x - tower_w, top, x + tower_w, wall_bottom), fill=dark if share == 0.38 else brick
        )
        draw.polygon(
            [(x - tower_w * 1.1, top), (x, top - height * 0.16), (x + tower_w * 1.1, top)],
            fill=(46, 110, 78),
        )
        _disc(draw, (x, top - height * 0.17), width * 0.006, (240, 200, 90))
    river = mix(palette.sky_top, palette.sky_bottom, 0.6)
    draw.rectangle((0, wall_bottom, width, height), fill=river)
    for row in range(14):
        y = wall_bottom + (row + 1) * (height - wall_bottom) / 15
        x = rng.uniform(0, width * 0.7)
        draw.line(
            (x, y, x + width * rng.uniform(0.1, 0.3), y),
            fill=mix(river, palette.light, 0.4),
            width=3,
        )
    return Drawing(
        picture,
        "a red fortress wall with towers and green spires above a river "
        + SKY_WORDS[palette.description],
        (0.38, 0.45),
    )


def _skyline(seed: int, size: tuple[int, int]) -> Drawing:
    """A city skyline with lit windows."""
    rng = random.Random(seed)
    palette = [PALETTES[0], PALETTES[2], PALETTES[3], PALETTES[5]][seed % 4]
    width, height = size
    picture = _sky(size, palette.sky_top, palette.sky_bottom)
    draw = ImageDraw.Draw(picture)
    window = mix(palette.light, (255, 210, 120), 0.5)
    for layer, shade in enumerate([0.45, 0.75, 1.0]):
        colour = mix(palette.sky_bottom, palette.near_hills, shade)
        x = -rng.uniform(0, width * 0.05)
        while x < width:
            w = width * rng.uniform(0.04, 0.09)
            top = height * rng.uniform(0.25 + layer * 0.12, 0.55 + layer * 0.1)
            draw.rectangle((x, top, x + w, height), fill=colour)
            if rng.random() < 0.25:
                draw.rectangle((x + w * 0.45, top - height * 0.08, x + w * 0.55, top), fill=colour)
            if layer == 2:
                for wy in range(int(top + height * 0.02), height, max(8, height // 40)):
                    for wx in range(int(x + w * 0.12), int(x + w * 0.88), max(8, width // 120)):
                        if rng.random() < 0.35:
                            draw.rectangle(
                                (wx, wy, wx + width // 300, wy + height // 120), fill=window
                            )
            x += w + width * rng.uniform(0.0, 0.015)
    return Drawing(
        picture, f"a city skyline with lit windows {SKY_WORDS[palette.description]}", (0.5, 0.5)
    )


def _bridge(seed: int, size: tuple[int, int]) -> Drawing:
    """An arched stone bridge over a river, with old town roofs behind it."""
    rng = random.Random(seed)
    palette = PALETTES[seed % len(PALETTES)]
    width, height = size
    picture = _sky(size, palette.sky_top, palette.sky_bottom)
    draw = ImageDraw.Draw(picture)
    roofs = mix(palette.near_hills, (150, 70, 50), 0.5)
    x = 0.0
    while x < width:
        w = width * rng.uniform(0.05, 0.1)
        eaves = height * rng.uniform(0.42, 0.5)
        draw.rectangle(
            (x, eaves, x + w, height * 0.62), fill=mix(palette.sky_bottom, (220, 200, 170), 0.6)
        )
        draw.polygon([(x, eaves), (x + w / 2, eaves - height * 0.08), (x + w, eaves)], fill=roofs)
        x += w
    water = mix(palette.sky_top, (40, 90, 110), 0.5)
    draw.rectangle((0, height * 0.62, width, height), fill=water)
    stone = mix((200, 190, 170), palette.near_hills, 0.3)
    deck = height * 0.58
    draw.rectangle((0, deck, width, deck + height * 0.05), fill=stone)
    arches = 5
    span = width / arches
    for number in range(arches):
        left = number * span
        draw.rectangle((left, deck + height * 0.05, left + span * 0.14, height * 0.82), fill=stone)
        draw.chord(
            (left + span * 0.14, deck + height * 0.02, left + span, deck + height * 0.3),
            180,
            360,
            fill=stone,
        )
    return Drawing(
        picture,
        f"an arched stone bridge over a river in an old town {SKY_WORDS[palette.description]}",
        (0.5, 0.55),
    )


def _chart(seed: int, size: tuple[int, int]) -> Drawing:
    """A market chart: a rising or falling line with a shaded area over a grid."""
    rng = random.Random(seed)
    width, height = size
    ground, line = _by_seed(
        seed,
        [
            ((16, 32, 52), (80, 220, 160)),
            ((246, 241, 230), (166, 33, 26)),
            ((24, 24, 28), (250, 190, 60)),
        ],
    )
    picture = PILImage.new("RGB", size, ground)
    draw = ImageDraw.Draw(picture)
    grid = mix(ground, line, 0.18)
    for number in range(1, 12):
        draw.line((number * width / 12, 0, number * width / 12, height), fill=grid, width=2)
    for number in range(1, 8):
        draw.line((0, number * height / 8, width, number * height / 8), fill=grid, width=2)
    rising = rng.random() < 0.7
    points, value = [], 0.65 if rising else 0.35
    for step in range(61):
        value += rng.gauss(-0.006 if rising else 0.006, 0.03)
        value = min(0.9, max(0.1, value))
        points.append((step * width / 60, value * height))
    draw.polygon([*points, (width, height), (0, height)], fill=mix(ground, line, 0.25))
    draw.line(points, fill=line, width=max(6, width // 240), joint="curve")
    bars = mix(ground, line, 0.45)
    for step in range(0, 61, 2):
        bar = rng.uniform(0.03, 0.12) * height
        x = step * width / 60
        draw.rectangle((x, height - bar, x + width / 90, height), fill=bars)
    direction = "rising" if rising else "falling"
    return Drawing(picture, f"a {direction} market chart over a grid", (0.8, 0.4))


def _flask(seed: int, size: tuple[int, int]) -> Drawing:
    """A laboratory flask with coloured liquid and bubbles, and a molecule beside it."""
    rng = random.Random(seed)
    width, height = size
    ground, liquid = _by_seed(
        seed,
        [
            ((18, 40, 60), (60, 200, 200)),
            ((34, 22, 56), (230, 90, 160)),
            ((236, 242, 240), (40, 150, 90)),
        ],
    )
    picture = _sky(size, mix(ground, (0, 0, 0), 0.2), mix(ground, (255, 255, 255), 0.15))
    draw = ImageDraw.Draw(picture)
    glass = mix(ground, (255, 255, 255), 0.55)
    cx = width * 0.42
    neck_w, neck_top, shoulder, bottom = width * 0.045, height * 0.14, height * 0.42, height * 0.86
    body = [
        (cx - neck_w, neck_top),
        (cx - neck_w, shoulder),
        (cx - width * 0.2, bottom),
        (cx + width * 0.2, bottom),
        (cx + neck_w, shoulder),
        (cx + neck_w, neck_top),
    ]
    draw.polygon(body, fill=mix(ground, glass, 0.35), outline=glass, width=max(4, width // 300))
    level = height * 0.6
    share = (level - shoulder) / (bottom - shoulder)
    half = neck_w + (width * 0.2 - neck_w) * share
    draw.polygon(
        [
            (cx - half, level),
            (cx - width * 0.2, bottom),
            (cx + width * 0.2, bottom),
            (cx + half, level),
        ],
        fill=liquid,
    )
    for _ in range(18):
        y = rng.uniform(level + height * 0.02, bottom - height * 0.04)
        _disc(
            draw,
            (cx + rng.uniform(-0.5, 0.5) * half, y),
            width * rng.uniform(0.004, 0.012),
            mix(liquid, (255, 255, 255), 0.5),
        )
    atoms = [
        (width * 0.74, height * 0.3),
        (width * 0.84, height * 0.42),
        (width * 0.72, height * 0.52),
        (width * 0.86, height * 0.24),
    ]
    for a, b in [(0, 1), (0, 2), (0, 3)]:
        draw.line((*atoms[a], *atoms[b]), fill=glass, width=max(5, width // 250))
    for number, atom in enumerate(atoms):
        _disc(
            draw, atom, width * (0.035 if number == 0 else 0.022), liquid if number == 0 else glass
        )
    return Drawing(
        picture, "a laboratory flask of glowing liquid beside a molecule model", (0.42, 0.6)
    )


def _curtain(seed: int, size: tuple[int, int]) -> Drawing:
    """A theatre stage: heavy curtains drawn open and a spotlight on the boards."""
    rng = random.Random(seed)
    width, height = size
    cloth = _by_seed(seed, [(150, 20, 34), (30, 50, 110), (96, 24, 90)])
    picture = PILImage.new("RGB", size, (18, 14, 16))
    spot = (round(width * rng.uniform(0.4, 0.6)), round(height * 0.74))
    _glow(picture, spot, round(height * 0.12), (255, 236, 190))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, height * 0.8, width, height), fill=(92, 60, 36))
    for number in range(12):
        y = height * 0.8 + number * height * 0.018
        draw.line((0, y, width, y), fill=(70, 44, 26), width=2)
    folds = 9
    for side in (0, 1):
        for number in range(folds):
            share = number / folds
            left = share * width * 0.3 if side == 0 else width - (share + 1 / folds) * width * 0.3
            tone = mix(cloth, (0, 0, 0), 0.35 * ((number % 2) ^ side))
            draw.rectangle((left, 0, left + width * 0.3 / folds + 2, height * 0.9), fill=tone)
    valance = mix(cloth, (0, 0, 0), 0.2)
    draw.rectangle((0, 0, width, height * 0.12), fill=valance)
    for number in range(24):
        x = number * width / 24
        draw.pieslice((x, height * 0.06, x + width / 24, height * 0.18), 0, 180, fill=valance)
    return Drawing(
        picture,
        "a theatre stage with the curtains drawn open and a spotlight on the boards",
        (spot[0] / width, 0.7),
    )


def _stadium(seed: int, size: tuple[int, int]) -> Drawing:
    """A football ground: striped pitch, white lines, stands and floodlights."""
    rng = random.Random(seed)
    palette = [PALETTES[1], PALETTES[2], PALETTES[3]][seed % 3]
    width, height = size
    picture = _sky(size, palette.sky_top, palette.sky_bottom)
    draw = ImageDraw.Draw(picture)
    stands = mix(palette.near_hills, (90, 90, 100), 0.4)
    for tier in range(3):
        top = height * (0.3 + tier * 0.07)
        draw.rectangle(
            (0, top, width, height * 0.55), fill=mix(stands, (255, 255, 255), tier * 0.08)
        )
        for _ in range(500):
            x, y = rng.uniform(0, width), rng.uniform(top, top + height * 0.07)
            draw.point(
                (x, y),
                fill=rng.choice([(220, 40, 40), (240, 240, 240), (30, 60, 160), (250, 200, 40)]),
            )
    for share in (0.08, 0.92):
        x = width * share
        draw.line(
            (x, height * 0.08, x, height * 0.32), fill=(60, 60, 64), width=max(6, width // 200)
        )
        draw.rectangle(
            (x - width * 0.03, height * 0.05, x + width * 0.03, height * 0.1), fill=(250, 250, 230)
        )
        _glow(picture, (round(x), round(height * 0.075)), round(height * 0.03), (255, 255, 230))
    draw = ImageDraw.Draw(picture)
    greens = [(46, 130, 60), (56, 150, 70)]
    stripe = height * 0.45 / 8
    for number in range(8):
        draw.rectangle(
            (0, height * 0.55 + number * stripe, width, height * 0.55 + (number + 1) * stripe + 1),
            fill=greens[number % 2],
        )
    white = (240, 240, 236)
    line = max(4, width // 400)
    draw.line((width * 0.05, height * 0.6, width * 0.95, height * 0.6), fill=white, width=line)
    draw.line((width * 0.5, height * 0.6, width * 0.5, height), fill=white, width=line)
    draw.ellipse((width * 0.4, height * 0.68, width * 0.6, height * 0.9), outline=white, width=line)
    ball = (width * rng.uniform(0.3, 0.7), height * 0.82)
    _disc(draw, ball, width * 0.012, (252, 252, 252))
    return Drawing(
        picture,
        f"a football stadium with a striped pitch and floodlights {SKY_WORDS[palette.description]}",
        (ball[0] / width, 0.7),
    )


def _portrait(seed: int, size: tuple[int, int]) -> Drawing:
    """A head-and-shoulders silhouette on a coloured ground, for an author."""
    width, height = size
    ground = _by_seed(
        seed, [(214, 196, 160), (170, 196, 210), (200, 170, 180), (176, 200, 170), (210, 190, 140)]
    )
    picture = _sky(size, mix(ground, (255, 255, 255), 0.3), ground)
    draw = ImageDraw.Draw(picture)
    figure = _by_seed(seed, [(60, 52, 64), (48, 66, 80), (80, 56, 48)])
    cx = width * 0.5
    draw.ellipse((cx - width * 0.4, height * 0.72, cx + width * 0.4, height * 1.4), fill=figure)
    draw.rectangle(
        (cx - width * 0.07, height * 0.55, cx + width * 0.07, height * 0.78), fill=figure
    )
    draw.ellipse((cx - width * 0.17, height * 0.2, cx + width * 0.17, height * 0.64), fill=figure)
    return Drawing(picture, "a drawn head-and-shoulders silhouette", (0.5, 0.4))


SCENES: dict[str, Callable[[int, tuple[int, int]], Drawing]] = {
    "hills": _hills,
    "dome": _dome,
    "fortress": _fortress,
    "skyline": _skyline,
    "bridge": _bridge,
    "chart": _chart,
    "flask": _flask,
    "curtain": _curtain,
    "stadium": _stadium,
    "portrait": _portrait,
}


def draw_scene(scene: str, seed: int, size: tuple[int, int]) -> Drawing:
    """The picture of `scene` (one of SCENES) for `seed`, always the same one."""
    return SCENES[scene](seed, size)


def make_demo_image(
    title: str,
    seed: int,
    *,
    scene: str = "hills",
    credit: str = "",
    caption: str = "",
    size: tuple[int, int] = (2400, 1600),
) -> Image:
    """Draw `scene` for `seed` and save it as an illustration captioned `title`, with alt text
    describing it and the scene's focal point."""
    drawing = draw_scene(scene, seed, size)
    output = io.BytesIO()
    drawing.picture.save(output, "JPEG", quality=88)
    image = Image(
        file=ContentFile(output.getvalue(), name=f"{slugify(title) or 'demo'}.jpg"),
        alt_text=f"Drawing of {drawing.description}.",
        caption=caption or title,
        credit=credit or settings.NEWSROOM_SITE_NAME,
        credit_kind=Image.CreditKind.ILLUSTRATION,
        focal_x=round(drawing.focal_point[0], 3),
        focal_y=round(drawing.focal_point[1], 3),
    )
    image.save()
    return image
