"""The scale-out backend: an Elasticsearch cluster through ``elasticsearch.dsl``.

Indices are built from a composable index template holding the French analysis; a read alias
serves queries and a write alias receives live updates, so a rebuild fills a new index and then
switches both aliases at once: search never stops. The database index is the source a rebuild
reads. Any connection or cluster error raises ``SearchUnavailable`` and the caller falls back to
the database backend.
"""

import datetime
import time

from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

from portal.access.levels import AccessLevel
from portal.access.membership import membership_of
from search import registry
from search.backends.base import (
    PERIODS,
    Backend,
    BackendResults,
    RawHit,
    SearchUnavailable,
    Suggestion,
    period_bounds,
)
from search.documents import SearchDocument
from search.entries import document_from_entry, fingerprint
from search.models import SearchEntry, SynonymGroup

ELISION = token_filter(
    "portal_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
STOP = token_filter("portal_stop", type="stop", stopwords="_french_")
STEM = token_filter("portal_stem", type="stemmer", language="light_french")
BASE_FILTERS = [ELISION, "lowercase", "asciifolding", STOP, STEM]
FRENCH_INDEX = analyzer("portal_french", tokenizer="standard", filter=BASE_FILTERS)
UNAVAILABLE = (ApiError, TransportError, ConnectionError, TimeoutError)


def search_analyzer(synonym_groups):
    # Synonyms come last: their rules go through the same folding and stemming as the text.
    synonyms = token_filter(
        "portal_synonyms",
        type="synonym_graph",
        lenient=True,
        synonyms=[", ".join(group) for group in synonym_groups if len(group) > 1],
    )
    return analyzer("portal_french_search", tokenizer="standard", filter=[*BASE_FILTERS, synonyms])


class IndexedDocument(Document):
    key = Keyword()
    kind = Keyword()
    title = Text(
        analyzer=FRENCH_INDEX,
        search_analyzer="portal_french_search",
        fields={"suggest": SearchAsYouType(analyzer=FRENCH_INDEX)},
    )
    tags = Text(analyzer=FRENCH_INDEX, search_analyzer="portal_french_search")
    body = Text(analyzer=FRENCH_INDEX, search_analyzer="portal_french_search")
    summary = Text(index=False)
    url = Keyword(index=False)
    date = Date()
    popularity = Integer()
    access_level = Keyword()
    allowed_roles = Keyword()
    establishment_id = Integer()
    establishment_families = Keyword()
    fingerprint = Keyword(index=False)

    class Meta:
        dynamic_templates = [{"facets": {"path_match": "facets.*", "mapping": {"type": "keyword"}}}]


def access_filter(user):
    """``portal.access.access_q`` in Elasticsearch's words (the contract suite checks both)."""
    member = membership_of(user)
    if member.is_superuser:
        return None
    rules = [Q("term", access_level=AccessLevel.PUBLIC.value)]
    if member.approved:
        rules.append(Q("term", access_level=AccessLevel.MEMBERS.value))
        roles = sorted(member.roles)
        if roles:
            rules.append(
                Q("term", access_level=AccessLevel.ROLES.value) & Q("terms", allowed_roles=roles)
            )
        if member.establishment_id is not None:
            role_rule = ~Q("exists", field="allowed_roles")
            if roles:
                role_rule |= Q("terms", allowed_roles=roles)
            rules.append(
                Q("term", access_level=AccessLevel.ESTABLISHMENT.value)
                & Q("term", establishment_id=member.establishment_id)
                & role_rule
            )
    level_rule = Q("bool", should=rules, minimum_should_match=1)
    family_rule = ~Q("exists", field="establishment_families")
    if member.establishment_family:
        family_rule |= Q("term", establishment_families=member.establishment_family)
    return level_rule & family_rule


class ElasticsearchBackend(Backend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str, refresh: bool | str = "wait_for"):
        self.client = Elasticsearch(url, request_timeout=3, max_retries=0, retry_on_timeout=False)
        self.read_alias = f"{prefix}-search"
        self.write_alias = f"{prefix}-search-write"
        self.pattern = f"{prefix}-search-*"
        self.template_name = f"{prefix}-search-template"
        self.refresh = refresh

    # --- index management ---------------------------------------------------------------
    def template(self, synonym_groups):
        index = Index(self.pattern)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.analyzer(search_analyzer(synonym_groups))
        index.document(IndexedDocument)
        return index.as_composable_template(self.template_name, self.pattern, priority=100)

    def _synonym_groups(self):
        return [group.term_list() for group in SynonymGroup.objects.all()]

    def _ensure_index(self):
        """Create a first index and both aliases when the cluster has none."""
        if self.client.indices.exists_alias(name=self.write_alias):
            return
        name = self._new_index()
        self.client.indices.update_aliases(
            actions=[
                {"add": {"index": name, "alias": self.read_alias}},
                {"add": {"index": name, "alias": self.write_alias, "is_write_index": True}},
            ]
        )

    def _new_index(self) -> str:
        self.template(self._synonym_groups()).save(using=self.client)
        name = f"{self.pattern[:-1]}{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 10**6}"
        self.client.indices.create(index=name)
        return name

    # --- writing ------------------------------------------------------------------------
    def _actions(self, documents, index):
        for document in documents:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": document.key,
                "_source": self._source(document),
            }

    @staticmethod
    def _source(document: SearchDocument) -> dict:
        return {
            "key": document.key,
            "kind": document.kind,
            "title": document.title,
            "tags": list(document.tags),
            "body": document.body,
            "summary": document.summary,
            "url": document.url,
            "date": document.date.isoformat() if document.date else None,
            "popularity": document.popularity,
            "access_level": document.access_level,
            "allowed_roles": sorted(document.allowed_roles),
            "establishment_id": document.establishment_id,
            "establishment_families": sorted(document.establishment_families),
            "facets": {name: list(values) for name, values in document.facets.items()},
            "fingerprint": fingerprint(document),
        }

    def index(self, documents) -> None:
        if not documents:
            return
        try:
            self._ensure_index()
            helpers.bulk(
                self.client, self._actions(documents, self.write_alias), refresh=self.refresh
            )
        except UNAVAILABLE as error:
            raise SearchUnavailable(str(error)) from error

    def delete(self, keys) -> None:
        if not keys:
            return
        actions = ({"_op_type": "delete", "_index": self.write_alias, "_id": k} for k in keys)
        try:
            self._ensure_index()
            helpers.bulk(self.client, actions, refresh=self.refresh, raise_on_error=False)
        except UNAVAILABLE as error:
            raise SearchUnavailable(str(error)) from error

    def rebuild(self, documents, progress=None) -> int:
        """Fill a new index, switch both aliases to it at once, then catch up with the changes
        made meanwhile (the database index is the reference) and drop the old indices."""
        started = timezone.now()
        try:
            name = self._new_index()
            count = 0
            for ok, _item in helpers.streaming_bulk(
                self.client, self._actions(documents, name), chunk_size=500
            ):
                count += ok
                if progress and count % 500 == 0:
                    progress(count)
            self.client.indices.refresh(index=name)
            old = list(self.client.indices.get_alias(index=self.pattern, ignore_unavailable=True))
            old = [index for index in old if index != name]
            actions = [{"remove": {"index": i, "alias": a}} for i in old for a in self._aliases(i)]
            actions += [
                {"add": {"index": name, "alias": self.read_alias}},
                {"add": {"index": name, "alias": self.write_alias, "is_write_index": True}},
            ]
            self.client.indices.update_aliases(actions=actions)
            self._catch_up(started)
            for index in old:
                self.client.indices.delete(index=index, ignore_unavailable=True)
        except UNAVAILABLE as error:
            raise SearchUnavailable(str(error)) from error
        if progress:
            progress(count)
        return count

    def _aliases(self, index):
        found = self.client.indices.get_alias(index=index).get(index, {}).get("aliases", {})
        return [alias for alias in found if alias in (self.read_alias, self.write_alias)]

    def _catch_up(self, since: datetime.datetime) -> None:
        changed = SearchEntry.objects.filter(indexed_at__gte=since)
        self.index([document_from_entry(entry) for entry in changed])
        known = set(SearchEntry.objects.values_list("key", flat=True))
        self.delete([key for key in self.fingerprints() if key not in known])

    def fingerprints(self) -> dict[str, str]:
        try:
            if not self.client.indices.exists_alias(name=self.read_alias):
                return {}
            return {
                hit["_source"]["key"]: hit["_source"]["fingerprint"]
                for hit in helpers.scan(
                    self.client, index=self.read_alias, _source=["key", "fingerprint"]
                )
            }
        except UNAVAILABLE as error:
            raise SearchUnavailable(str(error)) from error

    # --- reading ------------------------------------------------------------------------
    def _filtered(self, request) -> Search:
        search = Search(using=self.client, index=self.read_alias)
        rule = access_filter(request.user)
        if rule is not None:
            search = search.filter(rule)
        if request.modules:
            search = search.filter("terms", kind=sorted(request.modules))
        for name, values in sorted(request.facet_filters.items()):
            if values:
                search = search.filter("terms", **{f"facets.{name}": sorted(values)})
        if request.period:
            bounds = period_bounds()
            if request.period == "older":
                search = search.filter("range", date={"lt": bounds["year"]})
            else:
                search = search.filter("range", date={"gte": bounds[request.period]})
        return search

    def search(self, request) -> BackendResults:
        operator = "or" if request.match_any else "and"
        text = request.query.searched or request.query.text  # question words dropped
        query = Q(
            "bool",
            should=[
                Q(
                    "simple_query_string",
                    query=text,
                    fields=["title^10", "tags^5", "body"],
                    default_operator=operator,
                    boost=2,
                ),
                Q(
                    "multi_match",
                    query=text.replace('"', " "),
                    fields=["title^10", "tags^5", "body"],
                    operator=operator,
                    fuzziness="AUTO",
                    prefix_length=1,
                ),
            ],
            minimum_should_match=1,
        )
        search = self._filtered(request).query(query)
        if request.sort == "date":
            search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
        search = search.extra(from_=request.offset, size=request.limit, track_total_hits=True)
        search.aggs.bucket("kinds", "terms", field="kind", size=50)
        bounds = period_bounds()
        search.aggs.bucket(
            "periods",
            "date_range",
            field="date",
            ranges=[
                {"key": "month", "from": bounds["month"].isoformat()},
                {"key": "year", "from": bounds["year"].isoformat()},
                {"key": "older", "to": bounds["year"].isoformat()},
            ],
        )
        if request.with_facets:
            for facet in registry.facets():
                search.aggs.bucket(
                    f"facet_{facet.name}", "terms", field=f"facets.{facet.name}", size=100
                )
        try:
            response = search.execute()
        except UNAVAILABLE as error:
            raise SearchUnavailable(str(error)) from error
        results = BackendResults(total=response.hits.total.value)
        for hit in response:
            source = hit.to_dict()
            results.hits.append(
                RawHit(
                    key=source["key"],
                    kind=source["kind"],
                    title=source["title"],
                    url=source["url"],
                    summary=source.get("summary", ""),
                    body=source.get("body", ""),
                    date=_parse_date(source.get("date")),
                    facets=source.get("facets", {}),
                    score=hit.meta.score or 0.0,
                )
            )
        aggregations = response.aggregations
        results.module_counts = {b.key: b.doc_count for b in aggregations.kinds.buckets}
        results.period_counts = {
            b.key: b.doc_count for b in aggregations.periods.buckets if b.key in PERIODS
        }
        for facet in registry.facets() if request.with_facets else ():
            buckets = getattr(aggregations, f"facet_{facet.name}").buckets
            if buckets:
                results.facet_counts[facet.name] = {b.key: b.doc_count for b in buckets}
        return results

    def suggest(self, user, text, limit) -> list[Suggestion]:
        search = Search(using=self.client, index=self.read_alias)
        rule = access_filter(user)
        if rule is not None:
            search = search.filter(rule)
        search = search.query(
            "multi_match",
            query=text,
            type="bool_prefix",
            fields=["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
        ).extra(size=limit)
        try:
            response = search.execute()
        except UNAVAILABLE as error:
            raise SearchUnavailable(str(error)) from error
        return [Suggestion(title=h.title, url=h.url, kind=h.kind) for h in response]


def _parse_date(value):
    if not value:
        return None
    return datetime.datetime.fromisoformat(value)
