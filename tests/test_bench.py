"""The benchmark suite's harness (bench/): not the benchmark, which `make bench` runs, but its
load generator against a trivial server and the report of a run's figures."""

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import drive
from bench.suite import TARGETS, figures, report

BODY = b"<p>Hello</p>"


class Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == "/" else 404
        self.send_response(status)
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_load_generator_counts_requests_statuses_and_latencies(server):
    result = asyncio.run(
        drive("127.0.0.1", server, ["/", "/missing"], concurrency=2, seconds=0.3, requests=40)
    )

    summary = result.summary()
    assert summary["requests"] >= 40
    assert set(summary["statuses"]) == {"200", "404"}
    assert summary["failures"] == 0
    assert 0 < summary["p50_ms"] <= summary["p99_ms"]
    assert summary["requests_per_second"] > 0


def measured(requests_per_second: float, cpu_ms: float) -> dict:
    return {
        "requests_per_second": requests_per_second,
        "cpu_ms_per_request": cpu_ms,
        "p50_ms": 2 * cpu_ms,
        "p95_ms": 3 * cpu_ms,
        "p99_ms": 4 * cpu_ms,
        "statuses": {"200": 100},
        "failures": 0,
        "requests": 100,
    }


def test_the_report_sets_each_figure_against_its_target():
    names = ["article", "home", "section", "author", "tag", "search", "api"]
    results = {
        "machine": {"cpus": 2, "cpu_model": "Test CPU", "memory_gb": 4, "load_average": [1, 1, 1]},
        "load_average_after": [1, 1, 1],
        "stories": 10_000,
        "database": "sqlite",
        "cache": "Redis",
        "load_seconds": 5,
        "queries": {name: {"uncached": 4, "cached": 0} for name in names},
        "pages": {
            f"{name} {mode}": {
                "page": measured(
                    100 if mode == "uncached" else 700, 5 if mode == "uncached" else 1
                ),
                "floor": measured(1000, 0.5),
            }
            for name in ["article", "home", "section"]
            for mode in ["uncached", "cached"]
        },
        "server_times": {name: measured(50, 10) for name in [*names, "admin list", "review queue"]},
        "memory": {"peak_mb": [80.0, 90.0], "mixed": measured(40, 10)},
        "import_seconds": 120,
        "imported": 10_000,
    }

    found = figures(results)
    text = report(results, large=True)

    assert set(found) == set(TARGETS)
    assert found["article uncached CPU × floor"] == 10  # 5 ms against the floor's 0.5
    assert found["home cached req/s % floor"] == 70
    assert found["peak MB per worker"] == 90
    assert "article uncached CPU × floor       10.0 ×   target ≤ 10 ×   met" in text
    assert "search p95 ms                      30.0 ms  target ≤ 50 ms  met" in text
    assert "Import of 10,000 stories (import_story --publish): 120 s" in text
