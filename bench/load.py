"""A small HTTP load generator: fixed concurrency, a warm-up, then requests for a while.

    .venv/bin/python bench/load.py --port 8000 --path / --path /latest/ --seconds 5

Run by bench/suite.py in a process of its own, apart from the server it measures; it needs
nothing but the standard library. Each of `--concurrency` clients sends GET requests for the
paths in turn, one at a time, each on a new connection (gunicorn's sync workers close every
connection after its response), and reads the whole response. Prints one JSON object: the
requests made, their statuses, requests per second and latency percentiles (warm-up excluded).
"""

import argparse
import asyncio
import json
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


@dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0  # connections refused or reset, responses cut short
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The latency (ms) that `share` (0–1) of the requests stayed within."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.requests_per_second, 1),
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "failures": self.failures,
            "p50_ms": round(self.percentile(0.50), 2),
            "p95_ms": round(self.percentile(0.95), 2),
            "p99_ms": round(self.percentile(0.99), 2),
        }


def request_bytes(host: str, port: int, path: str, headers: Sequence[str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def fetch(host: str, port: int, request: bytes) -> int:
    """Send one request on a new connection and read the whole response; its status."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        response = await reader.read()  # the server closes the connection at the end
    finally:
        writer.close()
    status_line, _, rest = response.partition(b"\r\n")
    head, _, body = rest.partition(b"\r\n\r\n")
    status = int(status_line.split()[1])
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            raise ConnectionError(f"a response cut short: {len(body)} of {int(value)} bytes")
    return status


async def drive(
    host: str,
    port: int,
    paths: Sequence[str],
    *,
    concurrency: int = 8,
    seconds: float = 5.0,
    requests: int | None = None,
    warmup_seconds: float = 1.0,
    headers: Sequence[str] = (),
) -> LoadResult:
    """Load the server with `concurrency` clients for `seconds` (or until `requests` were
    made), after `warmup_seconds` whose requests are not counted."""
    prepared = [request_bytes(host, port, path, headers) for path in paths]
    result = LoadResult()
    started = time.perf_counter()
    measuring_from = started + warmup_seconds
    deadline = measuring_from + seconds
    turn = 0

    async def client() -> None:
        nonlocal turn
        while True:
            now = time.perf_counter()
            if now >= deadline or (requests is not None and result.requests >= requests):
                return
            request = prepared[turn % len(prepared)]
            turn += 1
            began = time.perf_counter()
            try:
                status = await fetch(host, port, request)
            except (OSError, ConnectionError, ValueError, IndexError):
                status = None
            if began < measuring_from:
                continue
            if status is None:
                result.failures += 1
                continue
            result.requests += 1
            result.statuses[status] += 1
            result.latencies_ms.append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.seconds = max(0.0, time.perf_counter() - measuring_from)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", action="append", required=True, help="repeat for several")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--requests", type=int, help="stop after this many (warm-up excluded)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds not counted")
    parser.add_argument("--header", action="append", default=[], help='"Name: value"')
    options = parser.parse_args()
    result = asyncio.run(
        drive(
            options.host,
            options.port,
            options.path,
            concurrency=options.concurrency,
            seconds=options.seconds,
            requests=options.requests,
            warmup_seconds=options.warmup,
            headers=options.header,
        )
    )
    print(json.dumps(result.summary() | {"latencies_ms": asdict(result)["latencies_ms"]}))


if __name__ == "__main__":
    main()
