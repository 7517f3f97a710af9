"""The benchmark suite (`make bench`): readers' pages served by gunicorn, measured against a
floor view in the same server, cached and uncached.

    .venv/bin/python bench/suite.py                # 10,000 stories, SQLite
    .venv/bin/python bench/suite.py --large        # 100,000 stories, PostgreSQL

Builds a newsroom of N generated stories in a throwaway database (the one DATABASE_URL names,
or a SQLite file; --large starts a throwaway PostgreSQL through scripts/with-postgres), serves
it with gunicorn (production settings, 2 sync workers) on 127.0.0.1, and drives load from a
separate process (bench/load.py). For each page, uncached (its teasers kept), cold (nothing
kept) and cached, it prints requests per second, p50/p99 latency and the server's CPU time per
request (the workers' user + system time from /proc, divided by the requests), each beside
the floor's (bench/floor.py: the same bytes from memory, in the same server, in the same run);
then queries per request, server times at concurrency 1 (list pages, search p95, the admin's
article list and review queue, the content API), peak memory per worker after 10,000 mixed
requests, and the time to import 10,000 stories through the importer. Writes everything as
JSON to bench/results/. Linux only (/proc).
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = PROJECT / "bench" / "results"
WORKERS = 2
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Target:
    """A figure of issue #11 and the most (or least) it may be."""

    figure: str
    limit: float
    unit: str
    at_most: bool = True
    large_only: bool = False

    def met_by(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value >= self.limit


TARGETS = {
    "article uncached CPU × floor": Target("article uncached CPU × floor", 10, "×"),
    "home uncached CPU × floor": Target("home uncached CPU × floor", 15, "×"),
    "section uncached CPU × floor": Target("section uncached CPU × floor", 15, "×"),
    "article cached req/s % floor": Target("article cached req/s % floor", 60, "%", False),
    "home cached req/s % floor": Target("home cached req/s % floor", 60, "%", False),
    "section cached req/s % floor": Target("section cached req/s % floor", 60, "%", False),
    "home server ms": Target("home server ms", 30, "ms", large_only=True),
    "section server ms": Target("section server ms", 30, "ms", large_only=True),
    "author server ms": Target("author server ms", 30, "ms", large_only=True),
    "tag server ms": Target("tag server ms", 30, "ms", large_only=True),
    "search p95 ms": Target("search p95 ms", 50, "ms", large_only=True),
    "admin list ms": Target("admin list ms", 300, "ms", large_only=True),
    "review queue ms": Target("review queue ms", 300, "ms", large_only=True),
    "API list ms": Target("API list ms", 30, "ms", large_only=True),
    "peak MB per worker": Target("peak MB per worker", 150, "MB"),
}


# The machine


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
    }


# Processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"A server stopped while starting (exit code {process.returncode}).")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered on port {port} in {timeout} s.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def redis_server(workdir: Path) -> Iterator[str | None]:
    """A throwaway Redis (no persistence) for the shared cache, if redis-server is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir"]
    process = subprocess.Popen(
        [*command, str(workdir), "--appendonly", "no", "--logfile", str(workdir / "redis.log")],
        start_new_session=True,
    )
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@dataclass
class Server:
    """gunicorn with `WORKERS` sync workers on a free port, stopped on leaving."""

    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)

    def __enter__(self) -> "Server":
        command = [
            str(BIN / "gunicorn"),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "2048",
            "--timeout",
            "300",
        ]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_port(self.port, self.process)
        # Every worker up (gunicorn answers as soon as the first one is).
        deadline = time.monotonic() + 60
        while len(self.workers()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)
        return self

    def __exit__(self, *exc_info) -> None:
        stop(self.process)

    def workers(self) -> list[int]:
        """The worker processes: the children of gunicorn's master process."""
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError):
                continue  # ended meanwhile
            if parent == self.process.pid:
                workers.append(int(stat.parent.name))
        return workers

    def cpu_seconds(self) -> float:
        """User and system CPU time of the workers so far."""
        total = 0
        for pid in self.workers():
            # The fields after the command's closing parenthesis; utime and stime are the
            # 14th and 15th of the whole line.
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])
        return total / TICKS_PER_SECOND

    def peak_memory_mb(self) -> list[float]:
        """Each worker's peak resident memory (VmHWM)."""
        peaks = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks


def load(
    server: Server,
    paths: Sequence[str],
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 1.0,
    requests: int | None = None,
    headers: Sequence[str] = (),
) -> dict:
    """Drive `paths` from a process of its own (bench/load.py); its figures, with the server's
    CPU time per request."""
    command = [sys.executable, str(PROJECT / "bench" / "load.py"), "--port", str(server.port)]
    command += [f"--path={path}" for path in paths]
    command += [f"--header={header}" for header in headers]
    command += ["--concurrency", str(concurrency), "--seconds", str(seconds)]
    if requests is not None:
        command += ["--requests", str(requests)]
    # The warm-up as a run of its own, so that the CPU time counted is the measured run's.
    if warmup:
        subprocess.run(
            [*command, "--seconds", str(warmup), "--warmup", "0"], check=True, capture_output=True
        )
    before = server.cpu_seconds()
    finished = subprocess.run([*command, "--warmup", "0"], check=True, capture_output=True)
    cpu = server.cpu_seconds() - before
    result = json.loads(finished.stdout)
    result["cpu_ms_per_request"] = cpu * 1000 / result["requests"] if result["requests"] else 0
    return result


# The newsroom


def set_up(options: argparse.Namespace, workdir: Path) -> dict[str, str]:
    """The environment of every process of the run, also set in this one."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "NEWSROOM_BENCH_FLOOR_DIR": str(workdir / "floor"),
        "NEWSROOM_TASK_BACKEND": "database",  # queued, never sent: no worker runs
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    os.environ.update(env)
    (workdir / "floor").mkdir()
    if database_url.startswith("postgres"):
        create_postgres_database(database_url)
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    return env


def create_postgres_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        name = parts.path.lstrip("/")
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def build_newsroom(stories: int) -> float:
    """Migrate and load the demo newsroom with `stories` generated stories; the seconds taken."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", articles=stories, stdout=StringIO())
    with connection.cursor() as cursor:
        # As autovacuum would soon (PostgreSQL vacuums a table after many inserts, which marks
        # its pages all-visible for index-only scans), and the deploy does on SQLite.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Endpoint:
    name: str
    paths: tuple[str, ...]  # several are requested in turn

    @property
    def path(self) -> str:
        return self.paths[0]


def endpoints() -> list[Endpoint]:
    """The readers' addresses the suite measures, found in the newsroom just built."""
    from articles.models import Article, Author, Tag

    story = Article.objects.get(external_id="kremlin-defection")
    tag = Tag.objects.get(name="Economy")
    return [
        Endpoint("article", (story.get_absolute_url(),)),
        Endpoint("home", ("/",)),
        Endpoint("latest", ("/latest/",)),
        Endpoint("section", (story.section.get_absolute_url(),)),
        Endpoint("author", (Author.objects.get(slug="lena-brandt").get_absolute_url(),)),
        Endpoint("tag", (tag.get_absolute_url(),)),
        Endpoint(
            "search",
            tuple(
                f"/search/?q={words}"
                for words in ["pension+reform", "Karakulov", "interest+rates", "Alps", "Brussels"]
            ),
        ),
        Endpoint("feed", ("/feeds/rss/",)),
        Endpoint("api", ("/api/ninjs/articles/",)),
    ]


def mixed_paths(count: int = 400) -> list[str]:
    """Addresses readers ask for on a busy day: many stories, list pages deep and shallow."""
    from articles.models import Article, Author, Section, Tag

    rng = random.Random(11)
    ids = list(Article.objects.published().values_list("pk", flat=True))
    stories = Article.objects.select_related("section").filter(pk__in=rng.sample(ids, count // 2))
    paths = [story.get_absolute_url() for story in stories]
    for section in Section.objects.all():
        paths += [section.get_absolute_url(), f"{section.get_absolute_url()}?page=2"]
        paths.append(f"/feeds/section/{section.slug}/rss/")
    paths += [tag.get_absolute_url() for tag in Tag.objects.all()]
    paths += [author.get_absolute_url() for author in Author.objects.all()]
    paths += [f"/latest/?page={page}" for page in (1, 2, 3, 10, 50)]
    paths += [f"/search/?q={word}" for word in ["pension", "Kremlin", "airline", "Alps", "budget"]]
    paths += ["/", "/feeds/rss/", "/api/ninjs/articles/", "/api/ninjs/articles/?page=3"]
    rng.shuffle(paths)
    return paths


def capture_floors(server: Server, pages: Sequence[Endpoint], floor_dir: Path) -> None:
    """Fetch each page once and keep its bytes for the floor view."""
    import urllib.request

    for endpoint in pages:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{endpoint.path}") as page:
            (floor_dir / f"{endpoint.name}.body").write_bytes(page.read())
            (floor_dir / f"{endpoint.name}.type").write_text(page.headers["Content-Type"])


def queries_per_request(pages: Sequence[Endpoint]) -> dict[str, dict[str, int]]:
    """Each page's queries in this process (Django's test client): with the page cache off
    (the site-wide values cached, as on a running site) and served from a warm cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    client, counts = Client(), {}
    for endpoint in pages:
        cache.clear()
        with override_settings(NEWSROOM_PAGE_CACHE_SECONDS=0):
            client.get(endpoint.path)
            uncached = count(endpoint.path)
        cache.clear()
        client.get(endpoint.path)
        counts[endpoint.name] = {"uncached": uncached, "cached": count(endpoint.path)}
    return counts


def staff_cookie() -> str:
    """A session cookie of a superuser, for the admin's pages."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench", "", "bench-password-1")
    client = Client()
    client.force_login(user)
    return f"Cookie: sessionid={client.cookies['sessionid'].value}"


def import_stories(count: int, workdir: Path) -> float:
    """The seconds `manage.py import_story --publish` takes for `count` new wire-copy files."""
    from io import StringIO

    from django.core.management import call_command

    from articles.demo import data

    folder = workdir / "wire"
    folder.mkdir()
    rng = random.Random(5)
    files = []
    for number in range(count):
        topic = data.TOPICS[rng.choice(list(data.TOPICS))]
        paragraphs = [
            paragraph.format(subject="The minister", action="signed", object="the bill")
            for paragraph in rng.sample(data.PARAGRAPHS, 4)
        ]
        headline = f"{rng.choice(topic.subjects)} {rng.choice(topic.actions)} "
        headline += f"{rng.choice(topic.objects)} ({number})"
        text = "\n".join(
            [
                "- Home page",
                f"- {rng.choice(['Politics', 'Business', 'Science', 'Culture', 'Sport'])}",
                "Created: 05.04.2026, 10:15",
                "By: Lena Brandt",
                f"{headline}. {rng.choice(data.STANDFIRSTS)}",
                f"{rng.choice(topic.places)} – {paragraphs[0]}",
                *paragraphs[1:],
            ]
        )
        path = folder / f"wire-{number:05d}.txt"
        path.write_text(text + "\n")
        files.append(str(path))
    started = time.perf_counter()
    call_command("import_story", *files, publish=True, language="en", stdout=StringIO())
    return time.perf_counter() - started


# The run


def run(options: argparse.Namespace, workdir: Path) -> dict:
    env = set_up(options, workdir)
    from django.db import connection

    results: dict = {
        "machine": machine(),
        "stories": options.articles,
        "started": str(datetime.now()),
    }
    results["database"] = f"{connection.vendor} {connection.Database.__name__}"
    say(f"Loading {options.articles:,} stories into {connection.vendor}…")
    results["load_seconds"] = build_newsroom(options.articles)
    pages = endpoints()
    results["queries"] = queries_per_request(pages)
    cookie = staff_cookie()
    with redis_server(workdir) as redis_url:
        cache_env = {"REDIS_URL": redis_url} if redis_url and options.cache == "redis" else {}
        results["cache"] = "Redis" if cache_env else "per-process (locmem)"
        uncached = env | cache_env | {"NEWSROOM_PAGE_CACHE_SECONDS": "0"}
        modes = {
            "uncached": uncached,
            # Every page rendered whole, its teasers too: what a process does first.
            "cold": uncached | {"NEWSROOM_FRAGMENT_COPIES_PER_PROCESS": "0"},
            "cached": env | cache_env,
        }
        results["pages"] = {}
        for mode, server_env in modes.items():
            say(f"Serving {mode}…")
            with Server(server_env, workdir / f"{mode}.log") as server:
                if mode == "uncached":
                    capture_floors(server, pages, Path(env["NEWSROOM_BENCH_FLOOR_DIR"]))
                for endpoint in pages:
                    floor = load(
                        server,
                        [f"/bench/floor/{endpoint.name}/"],
                        concurrency=options.concurrency,
                        seconds=options.seconds,
                    )
                    page = load(
                        server,
                        endpoint.paths,
                        concurrency=options.concurrency,
                        seconds=options.seconds,
                    )
                    results["pages"][f"{endpoint.name} {mode}"] = {"page": page, "floor": floor}
                    say(f"  {endpoint.name}: {page['requests_per_second']:.0f} req/s")
                if mode == "uncached":
                    results["server_times"] = server_times(server, pages, cookie, options)
        say("Memory after 10,000 mixed requests…")
        with Server(modes["uncached"], workdir / "memory.log") as server:
            mixed = load(
                server,
                mixed_paths(),
                concurrency=options.concurrency,
                seconds=3600,
                requests=options.mixed_requests,
                warmup=0,
            )
            results["memory"] = {"peak_mb": server.peak_memory_mb(), "mixed": mixed}
    if options.import_stories:
        say(f"Importing {options.import_stories:,} stories…")
        results["import_seconds"] = import_stories(options.import_stories, workdir)
        results["imported"] = options.import_stories
    results["load_average_after"] = os.getloadavg()
    return results


def server_times(server: Server, pages: Sequence[Endpoint], cookie: str, options) -> dict:
    """Latency at concurrency 1, uncached: what one request costs the server, queue-free."""
    measured = {endpoint.name: endpoint.paths for endpoint in pages}
    measured["admin list"] = ("/admin/articles/article/",)
    measured["review queue"] = ("/admin/articles/article/review/",)
    times = {}
    for name, paths in measured.items():
        headers = [cookie] if name.startswith(("admin", "review")) else []
        times[name] = load(
            server, paths, concurrency=1, seconds=options.seconds / 2, warmup=0.5, headers=headers
        )
    return times


# The report


def figures(results: dict) -> dict[str, float]:
    """The figures issue #11 sets targets for, from a run's results."""
    found = {}
    for name in ("article", "home", "section"):
        uncached = results["pages"][f"{name} uncached"]
        found[f"{name} uncached CPU × floor"] = ratio(
            uncached["page"]["cpu_ms_per_request"], uncached["floor"]["cpu_ms_per_request"]
        )
        cached = results["pages"][f"{name} cached"]
        found[f"{name} cached req/s % floor"] = 100 * ratio(
            cached["page"]["requests_per_second"], cached["floor"]["requests_per_second"]
        )
    times = results["server_times"]
    for name in ("home", "section", "author", "tag"):
        found[f"{name} server ms"] = times[name]["p50_ms"]
    found["search p95 ms"] = times["search"]["p95_ms"]
    found["admin list ms"] = times["admin list"]["p50_ms"]
    found["review queue ms"] = times["review queue"]["p50_ms"]
    found["API list ms"] = times["api"]["p50_ms"]
    found["peak MB per worker"] = max(results["memory"]["peak_mb"])
    return found


def ratio(value: float, floor: float) -> float:
    return value / floor if floor else float("inf")


def report(results: dict, large: bool) -> str:
    lines = []
    box = results["machine"]
    lines.append(
        f"{results['stories']:,} stories on {results['database']}; cache: {results['cache']}; "
        f"gunicorn, {WORKERS} sync workers. Machine: {box['cpus']} CPUs ({box['cpu_model']}), "
        f"{box['memory_gb']} GB; load average before {fmt_load(box['load_average'])}, "
        f"after {fmt_load(results['load_average_after'])}."
    )
    lines.append(f"Loaded in {results['load_seconds']:.0f} s.")
    lines.append("")
    columns = (
        "req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms",
        "floor r/s",
        "floor CPU",
        "CPU ×",
        "r/s %",
        "queries",
    )
    header = f"{'page':<18}" + "".join(f"{column:>10}" for column in columns)
    lines += [header, "-" * len(header)]
    for key, measured in results["pages"].items():
        page, floor = measured["page"], measured["floor"]
        name, mode = key.split()
        bad = sum(count for status, count in page["statuses"].items() if status != "200")
        cells = [
            f"{page['requests_per_second']:>10.0f}",
            f"{page['p50_ms']:>10.1f}",
            f"{page['p99_ms']:>10.1f}",
            f"{page['cpu_ms_per_request']:>10.2f}",
            f"{floor['requests_per_second']:>10.0f}",
            f"{floor['cpu_ms_per_request']:>10.2f}",
            f"{ratio(page['cpu_ms_per_request'], floor['cpu_ms_per_request']):>10.1f}",
            f"{100 * ratio(page['requests_per_second'], floor['requests_per_second']):>10.0f}",
            f"{results['queries'][name].get(mode, results['queries'][name]['uncached']):>10}",
        ]
        warning = f"  ({bad} not 200, {page['failures']} failed)" if bad or page["failures"] else ""
        lines.append(f"{key:<18}" + "".join(cells) + warning)
    lines.append("")
    lines.append("Server time at concurrency 1, uncached (ms):")
    for name, measured in results["server_times"].items():
        bad = {status: n for status, n in measured["statuses"].items() if status != "200"}
        lines.append(
            f"  {name:<14} p50 {measured['p50_ms']:7.1f}  p95 {measured['p95_ms']:7.1f}  "
            f"p99 {measured['p99_ms']:7.1f}  CPU {measured['cpu_ms_per_request']:6.2f}"
            + (f"  (statuses not 200: {bad})" if bad else "")
        )
    memory = results["memory"]
    lines.append("")
    lines.append(
        f"Peak memory per worker after {memory['mixed']['requests']:,} mixed requests: "
        + ", ".join(f"{peak:.0f} MB" for peak in memory["peak_mb"])
        + f" ({memory['mixed']['requests_per_second']:.0f} req/s, statuses "
        + f"{memory['mixed']['statuses']})"
    )
    if "import_seconds" in results:
        lines.append(
            f"Import of {results['imported']:,} stories (import_story --publish): "
            f"{results['import_seconds']:.0f} s"
        )
    lines.append("")
    lines.append("Targets (issue #11):")
    for name, value in figures(results).items():
        target = TARGETS[name]
        if target.large_only and not large:
            verdict = "(target at 100,000 stories: make bench-large)"
        else:
            verdict = "met" if target.met_by(value) else "MISSED"
        sign = "≤" if target.at_most else "≥"
        lines.append(
            f"  {name:<30} {value:8.1f} {target.unit:<3} target {sign} {target.limit:g} "
            f"{target.unit:<3} {verdict}"
        )
    return "\n".join(lines)


def fmt_load(load_average: Sequence[float]) -> str:
    return " ".join(f"{value:.1f}" for value in load_average)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


IMPORTED = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="100,000 stories on PostgreSQL")
    parser.add_argument("--articles", type=int, help="stories (10,000; 100,000 with --large)")
    parser.add_argument("--seconds", type=float, default=4, help="of load per measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--cache",
        choices=["redis", "locmem"],
        default="redis",
        help="the cached server's cache (redis: if redis-server is installed)",
    )
    parser.add_argument("--mixed-requests", type=int, default=10_000)
    parser.add_argument("--import-stories", type=int, default=IMPORTED, help="0: skip")
    options = parser.parse_args()
    options.articles = options.articles or (100_000 if options.large else 10_000)
    if options.large and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # A throwaway PostgreSQL server for the run.
        os.execv(
            str(PROJECT / "scripts" / "with-postgres"),
            ["with-postgres", sys.executable, *sys.argv],
        )
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as temporary:
        results = run(options, Path(temporary))
    text = report(results, options.large)
    print(text)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    output = RESULTS / f"{stamp}-{options.articles}.json"
    output.write_text(json.dumps(results | {"report": text}, indent=2, default=str))
    print(f"\nAll figures: {output.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
