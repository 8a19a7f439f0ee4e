"""Where a fresh search page's time goes, in process, on a portal kept by ``search_http.py``.

Loads the kept portal's settings as ``bench/run.py``'s ``portal_env`` sets them (Redis db
flushed), signs in the demo member with the Django test client, warms the process with queries
that are not measured, then requests ``--queries`` fresh 1-, 2- and 3-word queries of
``search_http.py`` and prints, per word count, the page's wall and CPU p50/p95 and the most
queries one page read, then the wall and CPU time per page of each part (the search service,
ranking, counts and facets, snippets, the template and its context processors).

    python bench/search_page_profile.py --keep /tmp/search-http [--queries 30] [--redis-db 5]
"""

import argparse
import collections
import functools
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import run  # noqa: E402 (bench/run.py: the portal harness)
import search_http  # noqa: E402 (its queries and kept portal)

PARTS = (
    ("search.services", None, "search"),
    ("search.backends.database", "DatabaseBackend", "_ranked"),
    ("search.backends.database", None, "_statement"),
    ("search.highlight", None, "snippet"),
    ("search.services", None, "_facet_groups"),
    ("search.views", None, "render"),
    ("portal.context_processors", None, "header_menu_pages"),
)


def timed(spent, module, owner, name) -> None:
    """Wrap ``module[.owner].name`` to add its wall and CPU time to ``spent[name]``."""
    holder = getattr(module, owner) if owner else module
    original = getattr(holder, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            entry = spent[name]
            entry[0] += time.perf_counter() - wall
            entry[1] += time.process_time() - cpu

    setattr(holder, name, wrapper)


def p95(values):
    ordered = sorted(values)
    return ordered[int(round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, required=True, help="a search_http.py --keep dir")
    parser.add_argument("--queries", type=int, default=30, help="fresh queries per word count")
    parser.add_argument("--redis-db", type=int, default=8, help="Redis db number (flushed)")
    args = parser.parse_args()
    env, note = run.portal_env(args.keep, args.redis_db)
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    os.chdir(BENCH.parent)
    import django  # noqa: PLC0415 (settings come from the kept portal's environment first)

    django.setup()
    from django.contrib.auth import get_user_model  # noqa: PLC0415 (after django.setup())
    from django.db import connection  # noqa: PLC0415 (idem)
    from django.test import Client  # noqa: PLC0415 (idem)
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 (idem)

    spent = collections.defaultdict(lambda: [0.0, 0.0])
    for module_name, owner, name in PARTS:
        timed(spent, sys.modules.get(module_name) or __import__(module_name, fromlist=["_"]),
              owner, name)  # fmt: skip
    email = (args.keep / search_http.READY).read_text().split("\n")[1]
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    classes = search_http.query_classes()
    measured = {text for texts in classes.values() for text in texts}
    warm = search_http.query_classes(seed_offset=1)
    for text in [t for n in (2, 3) for t in warm[n] if t not in measured][:30]:
        client.get(search_http.path_of(text))
    print(f"{note}; {run.load_average()}")
    for length in (1, 2, 3):
        spent.clear()
        walls, cpus, counts = [], [], []
        for text in classes[length][search_http.HANDFUL :][: args.queries]:
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(search_http.path_of(text))
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{text!r} answered {response.status_code}")
            counts.append(len(queries))
        n = len(walls)
        print(
            f"\n{length}-word, {n} fresh pages: wall p50 {statistics.median(walls):.1f} "
            f"p95 {p95(walls):.1f} ms, CPU p50 {statistics.median(cpus):.1f} "
            f"p95 {p95(cpus):.1f} ms, at most {max(counts)} queries"
        )
        for name, (wall, cpu) in sorted(spent.items(), key=lambda item: -item[1][1]):
            print(f"  {name:<20} wall {wall * 1000 / n:6.1f}  CPU {cpu * 1000 / n:6.1f} ms/page")
    print(f"\n{run.load_average()} (other processes' load skews the numbers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
