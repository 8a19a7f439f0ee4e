"""The search results page over HTTP on the 100,000-document corpus: p95 ≤ 100 ms end to end.

Builds a throwaway portal like ``bench/run.py`` (its helpers: migrate, collectstatic, the demo,
gunicorn, the demo member's sign-in), indexes the demo's documents and the deterministic
synthetic corpus of ``bench/search_bench.py`` in one rebuild (SQLite), serves the portal under
gunicorn and drives ``/recherche/?q=…`` as the signed-in demo member with 1-, 2- and 3-word
queries from a small concurrent client, printing req/s, p50, p95 and p99 per query class, and
the CPU time the server's processes spent per request (what a request costs, whatever else the
machine runs: latencies follow other processes' load, this does not):

- fresh: every request a query not asked before (neither the answer cache nor the page cache
  holds it: the search itself, ranked, with snippets and facets, and the page);
- repeated: a handful of queries asked over and over (as cached for the member's audience).

``--keep DIR`` keeps the built portal in DIR and reuses it on the next run (the rebuild of
100,000 documents takes minutes). Exits 0 whatever the figures; non-zero only when the harness
fails.

    python bench/search_http.py [--docs 100000] [--duration 10] [--connections 3]
                                [--keep /tmp/search-http]
"""

import argparse
import http.client
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote_plus

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402 (bench/run.py: the portal harness)
import search_bench  # noqa: E402 (bench/search_bench.py: the corpus and its queries)

TARGET_P95_MS = 100.0
HANDFUL = 5  # repeated queries per class
READY = "search-http-ready"  # stamp in a kept directory: the portal and index are built

INDEX_SCRIPT = """
import sys, time
sys.path.insert(0, "bench")
import search_bench
from search import answer_cache, backends
from search.rebuild import all_documents
started = time.perf_counter()
count = backends.get_database().rebuild(iter([*all_documents(), *search_bench.corpus(DOCS)]))
answer_cache.index_changed()
print(f"INDEXED={count} in {time.perf_counter() - started:.0f} s")
"""


def build(env, docs) -> str:
    """The demo, then its documents and ``docs`` synthetic ones indexed; the indexing note."""
    output = run.run_checked(
        [run.PYTHON, "manage.py", "shell", "-c", INDEX_SCRIPT.replace("DOCS", str(docs))],
        env,
        "indexing the corpus",
    )
    return output.strip().splitlines()[-1]


def query_classes(seed_offset=0) -> dict[int, list[str]]:
    """Per length, distinct queries of the corpus's domain words (``search_bench.DOMAIN``):
    ``search_bench.queries()`` first, then more drawn the same way (every domain word, for
    one word)."""
    classes = search_bench.queries()
    rng = random.Random(search_bench.SEED + 10 + seed_offset)
    words = list(dict.fromkeys(search_bench.DOMAIN))
    rng.shuffle(words)
    classes[1] = list(dict.fromkeys(classes[1] + words))
    for length, texts in classes.items():
        seen = set(texts)
        while length > 1 and len(texts) < 2000:
            text = " ".join(rng.sample(search_bench.DOMAIN, length))
            if text not in seen:
                seen.add(text)
                texts.append(text)
    return classes


def path_of(text) -> str:
    return "/recherche/?q=" + quote_plus(text)


def drive(port, cookie, paths, seconds, connections) -> dict:
    """``connections`` clients, one keep-alive connection each, requesting ``paths`` in turn
    (shared: each path once while they last) for ``seconds``; latencies in ms."""
    pending = iter(paths)
    lock = threading.Lock()
    samples, failures = [], []
    deadline = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection(run.HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                path = next(pending, None)
            if path is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                failures.append(f"{path}: {error}")
                conn.close()
                conn = http.client.HTTPConnection(run.HOST, port, timeout=30)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
            with lock:
                samples.append(elapsed)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    if failures:
        raise run.HarnessError(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    ordered = sorted(samples)

    def pct(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "n": len(ordered),
        "rps": len(ordered) / wall,
        "p50": statistics.median(ordered),
        "p95": pct(95),
        "p99": pct(99),
    }


def server_cpu_seconds(server) -> float:
    """CPU time (user and system) the server's processes (master and workers: its own process
    group) have used so far, from /proc: a row's cost per request, whatever else runs."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == server.proc.pid:  # pgrp; then utime and stime, in clock ticks
            total += int(fields[11]) + int(fields[12])
    return total / run.os.sysconf("SC_CLK_TCK")


def check_page(port, cookie, text) -> None:
    """The page answers 200 to the signed-in member and lists synthetic documents."""
    status, _headers, body = run.fetch(port, path_of(text), cookie=cookie)
    if status != 200 or not any(marker in body for marker in run.LOGGED_IN_MARKERS):
        raise run.HarnessError(f"GET {path_of(text)} answered {status} (signed in?)")
    if "/bench/" not in body:
        raise run.HarnessError(f"GET {path_of(text)} lists no document of the corpus")


def bench(args, tmp: Path, servers: list) -> None:
    env, redis_note = run.portal_env(tmp, args.redis_db)
    gunicorn_args = ["--worker-class", "sync", "--workers", str(args.workers)]
    print(f"cores: {len(run.os.sched_getaffinity(0))}, {run.load_average()}")
    print(f"cache: {redis_note}; gunicorn: {' '.join(gunicorn_args)}", flush=True)
    stamp = tmp / READY
    if stamp.exists() and stamp.read_text().split("\n")[0] == str(args.docs):
        emails_line, password = stamp.read_text().split("\n")[1:3]
        email = emails_line
        print(f"reusing the portal and index kept in {tmp}", flush=True)
    else:
        print("preparing the portal (migrate, collectstatic, load_demo)…", flush=True)
        started = time.monotonic()
        emails, password = run.prepare_portal(env)
        email = emails[0]
        print(f"indexing the demo and {args.docs:,} synthetic documents…", flush=True)
        print(f"  {build(env, args.docs)}; ready in {time.monotonic() - started:.0f} s")
        stamp.write_text(f"{args.docs}\n{email}\n{password}\n")
    servers.append(run.Server("portal", "portal.wsgi:application", env, tmp / "portal.log",
                              gunicorn_args))  # fmt: skip
    servers[-1].wait_ready("/healthz")
    port = servers[-1].port
    cookie = run.log_in(port, email, password)
    classes = query_classes()
    warm = query_classes(seed_offset=1)
    measured = set(classes[1] + classes[2] + classes[3])
    spare = [t for n in (2, 3) for t in warm[n] if t not in measured]
    check_page(port, cookie, spare.pop())  # not a measured query: those stay fresh
    print(f"signed in as {email}; {args.connections} concurrent clients, "
          f"{args.duration} s per row\n", flush=True)  # fmt: skip

    # Warm-up: each worker reads the index's pages and fills its stemmer (2- and 3-word queries
    # not measured: there are too few one-word queries to spare).
    drive(port, cookie, [path_of(t) for t in spare[:45]], 60, args.connections)

    header = f"{'queries':<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'n':>6}"
    print(header + f"{'CPU ms/req':>12}   target p95 ≤ {TARGET_P95_MS:.0f} ms")
    for length in (1, 2, 3):
        texts = classes[length]
        rows = {
            "fresh": [path_of(t) for t in texts],
            "repeated": [path_of(t) for t in texts[:HANDFUL]] * 100_000,
        }
        for label, paths in rows.items():
            cpu = server_cpu_seconds(servers[-1])
            figures = drive(port, cookie, paths, args.duration, args.connections)
            cpu = (server_cpu_seconds(servers[-1]) - cpu) * 1000 / figures["n"]
            verdict = "met" if figures["p95"] <= TARGET_P95_MS else "MISSED"
            print(
                f"{length}-word {label:<9}{figures['rps']:8.1f}{figures['p50']:9.1f}"
                f"{figures['p95']:9.1f}{figures['p99']:9.1f}{figures['n']:6d}{cpu:12.1f}"
                f"   {verdict}",
                flush=True,
            )
    print(f"\n{run.load_average()} (other processes' load skews the numbers)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per row")
    parser.add_argument("--connections", type=int, default=3, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--redis-db", type=int, default=8, help="Redis db number (flushed)")
    parser.add_argument("--keep", type=Path, help="build the portal here once, then reuse it")
    args = parser.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="search-http-"))
    servers: list[run.Server] = []
    try:
        bench(args, tmp, servers)
        return 0
    except run.HarnessError as exc:
        print(f"\nsearch_http: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nsearch_http: interrupted", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.stop()
        run.redis_command(args.redis_db, "FLUSHDB")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
