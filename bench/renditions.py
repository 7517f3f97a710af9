"""Time and peak memory to clean a 6000 × 4000 JPEG upload and make its full rendition set.

Run from the project folder:

    .venv/bin/python bench/renditions.py

Each scenario runs in a fresh Python process with a temporary MEDIA_ROOT and a temporary
SQLite database; nothing in the project folder is touched.
"""

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SOURCE_SIZE = (6000, 4000)
SCENARIOS = {
    "upload": "upload: check and clean, already upright",
    "upload-turned": "upload: check and clean, EXIF-rotated",
    "draft": "rendition set, JPEG DCT scaling (draft)",
    "full-decode": "rendition set, every pixel decoded",
    "django": "rendition set via Image.rendition()",
}


def set_up_django(workdir: Path) -> None:
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def memory_status(field: str) -> float | None:
    """A memory figure of this process in MB from /proc (Linux), or None."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return None


def reset_peak_memory() -> None:
    # Linux restarts the peak (VmHWM) from the current size; elsewhere it counts from start-up.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory() -> float:
    peak = memory_status("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 1024 / 1024 if sys.platform == "darwin" else maxrss / 1024


def prepare(workdir: Path) -> None:
    """Photo-like sources (a drawn landscape with sensor-like noise, quality 90), upright and
    EXIF-rotated, and a database holding the upright one as an Image."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from PIL import ExifTags
    from PIL import Image as PILImage

    from images.demo import draw_landscape
    from images.models import Image

    picture, _palette, _sun = draw_landscape(seed=7, size=SOURCE_SIZE)
    noise = PILImage.effect_noise(SOURCE_SIZE, 32).convert("RGB")
    photo = PILImage.blend(picture, noise, 0.25)
    photo.save(workdir / "source.jpg", "JPEG", quality=90)
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo.save(workdir / "turned.jpg", "JPEG", quality=90, exif=exif.tobytes())
    call_command("migrate", verbosity=0)
    data = (workdir / "source.jpg").read_bytes()
    Image(file=ContentFile(data, name="source.jpg"), alt_text="Benchmark picture").save()


def rendition_specs() -> list[tuple]:
    from django.conf import settings

    from images.processing import Ratio, rendition_widths

    specs = []
    for ratio in [None, *map(Ratio.parse, settings.NEWSROOM_IMAGE_RATIOS)]:
        for width in rendition_widths(*SOURCE_SIZE, ratio, settings.NEWSROOM_IMAGE_WIDTHS):
            specs += [(ratio, width, "webp"), (ratio, width, "jpg")]
    return specs


def run_scenario(name: str, workdir: Path) -> dict:
    set_up_django(workdir)
    from django.core.files.base import ContentFile
    from PIL import JpegImagePlugin

    from images.models import Image
    from images.processing import make_rendition, normalize_upload

    source = workdir / ("turned.jpg" if name == "upload-turned" else "source.jpg")
    data = source.read_bytes()
    specs = [] if name.startswith("upload") else rendition_specs()
    image = Image.objects.get()
    if name == "full-decode":
        JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None
    timings = []
    baseline = memory_status("VmRSS") or peak_memory()
    reset_peak_memory()
    tracemalloc.start()
    started = time.perf_counter()
    if not specs:
        normalize_upload(ContentFile(data, name=source.name))
    for ratio, width, file_format in specs:
        began = time.perf_counter()
        if name == "django":
            size = image.rendition(ratio, width, file_format).file.size
        else:
            # As the rendition view does: the stored original is opened afresh for each one.
            size = len(
                make_rendition(
                    io.BytesIO(data),
                    ratio=ratio,
                    width=width,
                    focal_point=(0.5, 0.4),
                    file_format=file_format,
                ).content
            )
        timings.append((width, file_format, time.perf_counter() - began, size))
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "made": len(specs),
        "peak_mb": peak_memory(),
        "extra_mb": peak_memory() - baseline,
        "python_peak_mb": tracemalloc.get_traced_memory()[1] / 1024 / 1024,
        "timings": timings,
    }


def run_child(*arguments: str) -> str:
    child = subprocess.run(
        [sys.executable, __file__, *arguments], capture_output=True, text=True, cwd=PROJECT
    )
    if child.returncode:
        sys.exit(child.stderr)
    return child.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "prepare"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.scenario == "prepare":
        set_up_django(arguments.workdir)
        prepare(arguments.workdir)
        return
    if arguments.scenario:
        print(json.dumps(run_scenario(arguments.scenario, arguments.workdir)))
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as temporary:
        # Every step in its own process, so that none inherits another's memory peak.
        run_child("--scenario", "prepare", "--workdir", temporary)
        results = {
            name: json.loads(run_child("--scenario", name, "--workdir", temporary))
            for name in SCENARIOS
        }
        report(Path(temporary) / "source.jpg", results)


def report(source: Path, results: dict) -> None:
    import PIL

    megabytes = source.stat().st_size / 1024 / 1024
    width, height = SOURCE_SIZE
    print(f"Source: {width} × {height} JPEG, {megabytes:.1f} MB. Pillow {PIL.__version__}.")
    print()
    columns = ["made", "total s", "ms each", "peak RSS MB", "+RSS MB", "Python MB"]
    header = f"{'scenario':<42}" + "".join(f"{column:>12}" for column in columns)
    print(header)
    print("-" * len(header))
    for name, label in SCENARIOS.items():
        result = results[name]
        each = result["seconds"] * 1000 / result["made"] if result["made"] else 0
        cells = [
            f"{result['made']:>12}",
            f"{result['seconds']:>12.2f}",
            f"{each:>12.0f}" if each else f"{'':>12}",
            f"{result['peak_mb']:>12.0f}",
            f"{result['extra_mb']:>12.0f}",
            f"{result['python_peak_mb']:>12.1f}",
        ]
        print(f"{label:<42}" + "".join(cells))
    print()
    print("Rendition set with DCT scaling, by width (mean over the crops):")
    print(f"{'width':>6}{'WebP ms':>10}{'WebP KB':>10}{'JPEG ms':>10}{'JPEG KB':>10}")
    timings = results["draft"]["timings"]
    for width in sorted({row[0] for row in timings}):
        cells = []
        for file_format in ("webp", "jpg"):
            rows = [row for row in timings if row[0] == width and row[1] == file_format]
            cells += [
                statistics.mean(row[2] for row in rows) * 1000,
                statistics.mean(row[3] for row in rows) / 1024,
            ]
        print(f"{width:>6}" + "".join(f"{cell:>10.0f}" for cell in cells))
    print()
    print(
        "+RSS: peak resident memory during the work, over the process's size before it.\n"
        "Python MB: tracemalloc's peak, which counts Python objects (such as encoded bytes)\n"
        "but not Pillow's pixel buffers."
    )


if __name__ == "__main__":
    main()
