"""Pictures for the demo newsroom, drawn with Pillow: skies, a sun or moon and layered hills."""

import io
import math
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageOps

from .models import Image

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    sky_top: Colour
    sky_bottom: Colour
    light: Colour
    near_hills: Colour
    description: str


PALETTES = [
    Palette(
        (38, 52, 110),
        (246, 190, 160),
        (255, 236, 200),
        (52, 38, 74),
        "a pale sun rising over layered violet hills",
    ),
    Palette(
        (70, 140, 210),
        (200, 228, 245),
        (255, 250, 225),
        (38, 92, 54),
        "a bright sun above green rolling hills",
    ),
    Palette(
        (60, 40, 90),
        (250, 140, 70),
        (255, 200, 120),
        (30, 28, 50),
        "an orange sun setting behind dark blue ridges",
    ),
    Palette(
        (10, 16, 40),
        (40, 60, 100),
        (235, 235, 220),
        (8, 12, 24),
        "a full moon over black mountain ridges",
    ),
    Palette(
        (150, 170, 190),
        (232, 236, 240),
        (255, 255, 250),
        (96, 110, 128),
        "a low white sun over snowy grey hills",
    ),
    Palette(
        (200, 120, 60),
        (250, 220, 160),
        (255, 245, 210),
        (120, 60, 30),
        "a hazy sun over red desert dunes",
    ),
]


def mix(first: Colour, second: Colour, share: float) -> Colour:
    return tuple(round(a + (b - a) * share) for a, b in zip(first, second, strict=True))


def draw_landscape(seed: int, size: tuple[int, int]) -> tuple[PILImage.Image, Palette, tuple]:
    """A landscape picture for `seed` (always the same one), its palette and where its sun is."""
    rng = random.Random(seed)
    palette = rng.choice(PALETTES)
    width, height = size
    gradient = PILImage.linear_gradient("L").resize(size, PILImage.Resampling.BILINEAR)
    picture = ImageOps.colorize(gradient, palette.sky_top, palette.sky_bottom)

    sun_x, sun_y = rng.uniform(0.2, 0.8), rng.uniform(0.22, 0.45)
    radius = round(height * rng.uniform(0.05, 0.08))
    glow_size = radius * 8
    glow = PILImage.radial_gradient("L").resize((glow_size, glow_size))
    # The gradient reaches 181 at the middle of each edge; fading to 0 there hides the square.
    glow = glow.point(lambda value: max(0, 181 - value) * 0.8)
    centre = (round(sun_x * width), round(sun_y * height))
    corner = (centre[0] - glow_size // 2, centre[1] - glow_size // 2)
    picture.paste(PILImage.new("RGB", glow.size, palette.light), corner, glow)
    draw = ImageDraw.Draw(picture)
    draw.ellipse(
        (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
        fill=palette.light,
    )

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


def make_demo_image(
    title: str,
    seed: int,
    *,
    credit: str = "",
    caption: str = "",
    size: tuple[int, int] = (2400, 1600),
) -> Image:
    """Draw a landscape for `seed` and save it as an Image captioned `title`, with alt text
    describing it and the sun as its focal point."""
    picture, palette, (sun_x, sun_y) = draw_landscape(seed, size)
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=88)
    image = Image(
        file=ContentFile(output.getvalue(), name=f"{slugify(title) or 'demo'}.jpg"),
        alt_text=f"Illustration: {palette.description}.",
        caption=caption or title,
        credit=credit or f"{settings.NEWSROOM_SITE_NAME} demo illustration",
        focal_x=round(sun_x, 3),
        focal_y=round(sun_y, 3),
    )
    image.save()
    return image
