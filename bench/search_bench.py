"""Search benchmark: ranked top-10 queries with snippets and facet counts, on SQLite and
PostgreSQL, against Wagtail's stock database search backend as the reference.

Builds a synthetic French corpus (fixed seed), rebuilds the portal's index (timed), then runs
1-, 2- and 3-word queries, and misspelt one-word queries (a letter omitted, two swapped or one
doubled: the search corrects them from the user's vocabulary and shows the corrected results),
through ``search.services.search`` (what the search page calls: access
filter, ranking, snippets, facets) as an approved RSSI, after one warm-up pass, and reports p50
and p95, and how many queries matched too many documents to be scored and counted exactly (see
``search.backends.database``). No result is cached: the warm-up pass warms the database's
pages and the stemmer only.

The relevance set (``tests/search/relevance.toml``) is planted in the corpus, indexed first by
the rebuild, then indexed again last (deleted and indexed live): its recall@3, hit@1 and
nDCG@10 among the whole corpus are printed for both placements (they must not differ), and the
share of the 1-, 2- and 3-word queries' top 10 that the page's answer has in common with
scoring every visible match (``search.ranking`` over all of them). The first query without
results is timed before the warm-up pass (nothing is built on demand).

The reference indexes the first ``--reference-docs`` documents with Wagtail's stock
database backend and runs ``--reference-queries`` of the same queries per length (the stock
backend takes seconds per query on SQLite, so it runs on a subset). Exits 0 whatever the
figures; non-zero only when the harness fails.

    python bench/search_bench.py [--docs 100000] [--engines sqlite,postgres]
                                  [--reference-docs 10000] [--reference-queries 5]
                                  [--postgres-db cyberportail_bench] [--keep DIR]

``--keep DIR`` keeps the SQLite database in DIR (and marks the PostgreSQL database as built in
DIR/<postgres-db>) and, on the next run, measures its index as it is (no rebuild; for iterating
on ranking rules that change nothing indexed).
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
SEED = 20261123
QUERIES_PER_LENGTH = 30
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_DB = "cyberportail_bench"
TARGETS_MS = {"sqlite": 30.0, "postgres": 50.0}
TARGET_REBUILD_S = 120.0
RELEVANCE = tomllib.loads((ROOT / "tests" / "search" / "relevance.toml").read_text())

DOMAIN = """rançongiciel rançongiciels sauvegarde sauvegardes restauration hameçonnage courriel
courriels frauduleux messagerie authentification double mot passe compte comptes vpn accès distant
pare-feu correctif correctifs vulnérabilité vulnérabilités faille serveur serveurs poste postes
réseau segmentation annuaire active directory administrateur privilèges journalisation journaux
supervision alerte alertes incident incidents crise cellule continuité reprise activité plan
dégradé mode exercice exercices sensibilisation formation soignants direction directeur rssi dsi
dpo données santé patient patients dossier hébergement certification conformité rgpd violation
fuite notification cnil cert anssi signalement plainte fournisseur fournisseurs prestataire
contrat clause clauses achat marché chiffrement chiffré antivirus edr soc détection réponse
isolement isoler téléphone fraude virement président usurpation identité badge biomédical
dispositif dispositifs médicaux imagerie laboratoire pharmacie ehpad établissement hôpital
clinique ght gouvernance politique charte procédure fiche réflexe guide modèle audit risque
risques analyse homologation mise jour inventaire cartographie télétravail messagerie wifi usb
""".split()  # noqa: SIM905 (a word list reads better as text)
THEMES = "governance backups identity email network medical_devices incident_response awareness"
THEMES = (THEMES + " regulation purchasing").split()
KINDS = ["documents", "rex", "alerts", "forum", "courses"]
ROLES = ["director", "rssi", "dsi", "dpo", "caregiver", "admin_agent"]
TYPES = ["chu", "ch", "clinic", "espic", "ehpad", "esms"]


def vocabulary() -> list[str]:
    """Real French words: the French translations shipped with Django, Wagtail and allauth."""
    import allauth
    import django
    import wagtail

    words = set()
    for package in (django, wagtail, allauth):
        for po in Path(package.__file__).parent.rglob("fr/LC_MESSAGES/*.po"):
            for line in po.read_text(encoding="utf-8", errors="ignore").splitlines():
                if line.startswith("msgstr"):
                    words.update(re.findall(r"[a-zà-öø-ÿœ]{3,}", line.lower()))
    return sorted(words)


TITLE_LEADS = (
    "Guide",
    "Fiche réflexe",
    "Procédure",
    "Retour d'expérience",
    "Note",
    "Question",
    "Modèle",
    "Webinaire",
    "Bonnes pratiques",
    "Alerte",
)
TITLE_LINKS = ("et", "pour", "dans", "avec", "selon", "sur")


def corpus(size: int):
    """Documents about a few security topics each (Zipf-distributed across the corpus),
    written with real French words; deterministic for a given size, in any process. Titles
    read like titles (a lead, one topic word, a few ordinary words), bodies vary in length."""
    from django.utils import timezone

    from search.documents import SearchDocument

    rng = random.Random(SEED)
    general = vocabulary()
    rng.shuffle(general)
    general_weights = [1 / (rank + 1) for rank in range(len(general))]  # Zipf
    domain_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(DOMAIN))]
    now = timezone.now()

    def text(n, topics, topical_share):
        """n words: general French, the document's topics, and incidental domain words."""
        k_topic = int(n * topical_share)
        k_incidental = int(n * 0.02)
        picked = (
            rng.choices(general, general_weights, k=n - k_topic - k_incidental)
            + rng.choices(topics, k=k_topic)
            + rng.choices(DOMAIN, k=k_incidental)
        )
        rng.shuffle(picked)
        return " ".join(picked)

    def title(topic):
        ordinary = rng.choices(general[:2000], k=rng.randint(1, 4))
        return f"{rng.choice(TITLE_LEADS)} : {topic} {rng.choice(TITLE_LINKS)} " + " ".join(
            ordinary
        )

    documents = []
    for number in range(size):
        topics = list(dict.fromkeys(rng.choices(DOMAIN, domain_weights, k=4)))  # no hash order
        level = rng.choices(["public", "members", "roles", "establishment"], [70, 15, 10, 5])[0]
        length = min(3000, max(30, int(rng.lognormvariate(5.5, 0.7))))  # median ~250 words
        documents.append(
            SearchDocument(
                key=f"bench:{number}",
                kind=rng.choice(KINDS),
                title=title(topics[0]),
                url=f"/bench/{number}/",
                summary=text(rng.randint(12, 30), topics, 0.1),
                body=text(length, topics, 0.08),
                facets={
                    "theme": tuple(rng.sample(THEMES, rng.randint(1, 2))),
                    "audience": tuple(rng.sample(ROLES, rng.randint(1, 3))),
                    "establishment_type": (rng.choice(TYPES),),
                },
                date=now - timezone.timedelta(days=rng.randint(0, 1100)),
                access_level=level,
                allowed_roles=frozenset({"rssi", "dsi"}) if level == "roles" else frozenset(),
                establishment_id=rng.randint(1, 50) if level == "establishment" else None,
            )
        )
    return documents


def queries() -> dict[int, list[str]]:
    rng = random.Random(SEED + 1)
    return {
        length: [" ".join(rng.sample(DOMAIN, length)) for _ in range(QUERIES_PER_LENGTH)]
        for length in (1, 2, 3)
    }


def misspelt_queries() -> list[str]:
    """One-word queries with a typing slip, each a domain word of six letters or more."""
    rng = random.Random(SEED + 2)
    long_words = sorted({word for word in DOMAIN if len(word) >= 6 and word.isalpha()})
    typos = []
    while len(typos) < QUERIES_PER_LENGTH:
        word = rng.choice(long_words)
        i = rng.randrange(1, len(word) - 1)
        slip = len(typos) % 3
        if slip == 0:
            typo = word[:i] + word[i + 1 :]  # omitted
        elif slip == 1:
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
        else:
            typo = word[:i] + word[i] + word[i:]  # doubled
        if typo != word and typo not in DOMAIN and typo not in typos:
            typos.append(typo)
    return typos


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def timed(function):
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def member():
    from django.contrib.auth import get_user_model

    from portal.accounts.models import Establishment, MemberProfile

    kept = get_user_model().objects.filter(username="bench@example.org").first()
    if kept is not None:  # a kept database (``--keep``)
        return kept
    establishment = Establishment.objects.create(
        name="CH de référence", finess="010000001", kind="ch", department="01"
    )
    user = get_user_model().objects.create(username="bench@example.org", email="bench@x.org")
    MemberProfile.objects.create(
        user=user, establishment=establishment, roles={"rssi"}, status="approved"
    )
    return get_user_model().objects.get(pk=user.pk)


def run_child(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from search import backends, services
    from search.services import SearchParams

    call_command("migrate", verbosity=0)
    report = {"engine": args.engine, "docs": args.docs + len(RELEVANCE["documents"])}
    started = time.perf_counter()
    documents = corpus(args.docs)
    report["generate_s"] = time.perf_counter() - started

    planted = relevance_documents()
    built = Path(os.environ["VAR_DIR"]) / f"search-bench-{args.docs}"
    report["kept"] = built.exists()
    if report["kept"]:  # ``--keep``: the index as the last run left it (relevance set last)
        report["rebuild_s"] = None
    else:
        started = time.perf_counter()
        backends.get_database().rebuild(iter([*planted, *documents]))  # the relevance set first
        report["rebuild_s"] = time.perf_counter() - started

    user = member()
    report["first_zero_ms"], _ = timed(
        lambda: services.search(user, SearchParams(query="zqxwvkj"), record=False)
    )
    query_sets = queries() | {"misspelt": misspelt_queries()}
    params = {q: SearchParams(query=q) for qs in query_sets.values() for q in qs}
    for query in params:  # warm-up pass
        services.search(user, params[query], record=False)
    report["ours"] = {}
    for length, texts in query_sets.items():
        samples, totals, estimated, corrected = [], [], 0, 0
        for text in texts:
            elapsed, found = timed(lambda t=text: services.search(user, params[t], record=False))
            samples.append(elapsed)
            totals.append(found.total)
            estimated += found.estimated
            corrected += bool(found.corrected)
        report["ours"][length] = percentiles(samples) | {
            "median_hits": statistics.median(totals),
            "estimated": estimated,
            "corrected": corrected,
        }

    report["relevance"] = {"kept" if report["kept"] else "first": relevance(user)}
    report["overlap"] = {length: overlap(user, query_sets[length]) for length in (1, 2, 3)}
    database = backends.get_database()
    database.delete([document.key for document in planted])
    database.index(planted)  # now the most recently indexed
    report["relevance"]["last"] = relevance(user)
    built.touch()

    if args.reference_docs:
        report["reference"] = reference(args, documents[: args.reference_docs], queries())
    return report


def relevance_documents():
    """The relevance set's documents (``tests/search/relevance.toml``), planted in the corpus."""
    from search.documents import SearchDocument

    return [
        SearchDocument(
            key=item["key"],
            kind=item["kind"],
            title=item["title"],
            url=f"/{item['key']}/",
            body=item["body"],
            tags=tuple(item.get("tags", ())),
            facets={"theme": (item["theme"],)},
        )
        for item in RELEVANCE["documents"]
    ]


def _top(user, text, limit=10):
    from search.analysis import parse
    from search.backends.base import SearchRequest
    from search.services import find, synonyms

    request = SearchRequest(query=parse(text, synonyms()), user=user, limit=limit)
    return [hit.key for hit in find(request).found.hits]


def relevance(user) -> dict:
    """recall@3, hit@1 and nDCG@10 of the relevance set's queries among the whole corpus."""
    from tests.search.test_relevance import hit_at_1, ndcg_at_10, recall_at_3

    scores = []
    for case in RELEVANCE["queries"]:
        ranked = _top(user, case["query"])
        relevant = case["relevant"]
        scores.append(
            (
                recall_at_3(ranked, relevant),
                hit_at_1(ranked, relevant),
                ndcg_at_10(ranked, relevant),
            )
        )
    names = ("recall@3", "hit@1", "nDCG@10")
    return {name: sum(s[i] for s in scores) / len(scores) for i, name in enumerate(names)}


OVERLAP_QUERIES = 10  # per length: scoring every visible match takes seconds per query


def overlap(user, texts) -> float:
    """Mean share of the top 10 that the page's answer has in common with scoring every visible
    match (``search.ranking`` over all of them, however many)."""
    from search import ranking

    shares = []
    for text in texts[:OVERLAP_QUERIES]:
        page = _top(user, text)
        bound = ranking.EXACT_RANKING
        ranking.EXACT_RANKING = 10**9
        try:
            exact = _top(user, text)
        finally:
            ranking.EXACT_RANKING = bound
        shares.append(len(set(page) & set(exact)) / max(1, len(exact)))
    return sum(shares) / len(shares)


def reference(args, documents, query_sets) -> dict:
    """Wagtail's stock database backend over the same documents (a subset)."""
    from django.db import models
    from wagtail.search import index
    from wagtail.search.backends import get_search_backend

    class Article(index.Indexed, models.Model):
        title = models.CharField(max_length=500)
        body = models.TextField()
        search_fields = [index.SearchField("title", boost=10), index.SearchField("body")]

        class Meta:
            app_label = "portal_search"
            db_table = "bench_reference_article"

        def __str__(self):
            return self.title

    from django.db import connection
    from wagtail.search.models import IndexEntry

    IndexEntry.add_generic_relations()  # what Wagtail does at start-up for indexed models
    with connection.schema_editor() as editor:
        editor.create_model(Article)
    Article.objects.bulk_create(Article(title=d.title, body=d.body) for d in documents)
    backend = get_search_backend("default")
    started = time.perf_counter()
    index_ = backend.get_index_for_model(Article)
    articles = list(Article.objects.all())
    for start in range(0, len(articles), 1000):
        index_.add_items(Article, articles[start : start + 1000])
    result = {"docs": len(documents), "index_s": time.perf_counter() - started}
    for length, texts in query_sets.items():
        samples = []
        for text in texts[: args.reference_queries]:
            elapsed, _ = timed(
                lambda t=text: list(backend.search(t, Article.objects.all(), operator="and")[:10])
            )
            samples.append(elapsed)
        result[length] = percentiles(samples)
    return result


def prepare_postgres(name: str, keep: bool = False) -> str:
    """The benchmark database's URL, created afresh unless ``keep`` (a kept, built one)."""
    import psycopg

    if not keep:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def run_engine(args, engine, workdir) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        VAR_DIR=str(workdir),
        DEBUG="0",
        HTTPS="0",
        ELASTICSEARCH_URL="",
        REDIS_URL="",
        SECRET_KEY="bench-" + "x" * 50,
        DATABASE_URL=(
            f"sqlite:///{workdir}/bench.sqlite3"
            if engine == "sqlite"
            else prepare_postgres(
                args.postgres_db, (workdir / f"search-bench-{args.docs}").exists()
            )
        ),
    )
    command = [
        PYTHON,
        __file__,
        "--child",
        "--engine",
        engine,
        "--docs",
        str(args.docs),
        "--reference-docs",
        str(args.reference_docs),
        "--reference-queries",
        str(args.reference_queries),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"[{engine}] the benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_report(reports):
    print(
        f"\nSearch benchmark — {reports[0]['docs']:,} synthetic French documents "
        f"(seed {SEED}), ranked top 10 + snippets + facets\n"
    )
    for report in reports:
        engine = report["engine"]
        target = TARGETS_MS[engine]
        if report["rebuild_s"] is None:
            print(f"{engine}: index kept from a previous run (--keep): no rebuild")
        else:
            print(
                f"{engine}: rebuild {report['rebuild_s']:.1f} s "
                f"(target ≤ {TARGET_REBUILD_S:.0f} s: "
                f"{'met' if report['rebuild_s'] <= TARGET_REBUILD_S else 'MISSED'})"
            )
        worst = 0.0
        for length, figures in report["ours"].items():
            worst = max(worst, figures["p95"])
            label = "1-word misspelt" if length == "misspelt" else f"{length}-word"
            corrected = (
                f"; {figures['corrected']}/{figures['n']} corrected" if length == "misspelt" else ""
            )
            print(
                f"  {label:<15} p50 {figures['p50']:7.1f} ms   p95 {figures['p95']:7.1f} ms"
                f"   (median {figures['median_hits']:,.0f} visible matches; "
                f"{figures['estimated']}/{figures['n']} answered with estimated counts{corrected})"
            )
        print(f"  p95 target ≤ {target:.0f} ms: {'met' if worst <= target else 'MISSED'}")
        for placement, figures in report["relevance"].items():
            print(
                f"  relevance set indexed {placement:<5}: "
                + "   ".join(f"{name} {value:.3f}" for name, value in figures.items())
            )
        print(
            "  top 10 in common with scoring every visible match (target ≥ 0.9): "
            + "   ".join(
                f"{length}-word {share:.2f}" for length, share in report["overlap"].items()
            )
        )
        print(f"  first query without results: {report['first_zero_ms']:.1f} ms")
        ref = report.get("reference")
        if ref:
            print(
                f"  Wagtail stock backend, {ref['docs']:,} documents "
                f"(indexed in {ref['index_s']:.1f} s), ranked top 10 only:"
            )
            for length in ("1", "2", "3"):
                figures = ref[length]
                print(
                    f"    {length}-word  p50 {figures['p50']:9.1f} ms   "
                    f"p95 {figures['p95']:9.1f} ms   ({figures['n']} queries)"
                )
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--reference-docs", type=int, default=10_000)
    parser.add_argument("--reference-queries", type=int, default=5)
    parser.add_argument(
        "--postgres-db", default=POSTGRES_BENCH_DB, help="dropped and created afresh"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the SQLite database here (PostgreSQL's: --postgres-db, marked built here) "
        "and reuse its index on the next run "
        "(no rebuild: change nothing indexed in between; the relevance set is then last)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args)))
        return
    reports = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as workdir:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        for engine in args.engines.split(","):
            print(f"[{engine}] building {args.docs:,} documents and measuring…", flush=True)
            kept = None
            if args.keep:  # PostgreSQL's marker apart: the database itself lives in the server
                kept = args.keep if engine == "sqlite" else args.keep / args.postgres_db
                kept.mkdir(exist_ok=True)
            reports.append(run_engine(args, engine, kept or Path(workdir)))
    print_report(reports)


if __name__ == "__main__":
    main()
