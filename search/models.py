"""The database index (embedded backend, and the source of truth an Elasticsearch rebuild reads),
the synonyms editors maintain, and anonymous query statistics."""

from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from portal.access.fields import CodeSetField, RoleSetField
from portal.access.levels import AccessLevel, EstablishmentFamily
from search import registry


class SearchEntry(models.Model):
    """One indexed document (see ``search.documents.SearchDocument``)."""

    # Columns read for every match come first: SQLite then never walks a long body's overflow
    # pages to filter a row (PostgreSQL keeps long values apart anyway).
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, db_index=True)
    access_level = models.CharField(max_length=20, choices=AccessLevel.choices, db_index=True)
    allowed_roles = RoleSetField()
    establishment_id = models.IntegerField(null=True, db_index=True)
    establishment_families = CodeSetField(codes=EstablishmentFamily, max_length=100)
    date = models.DateTimeField(null=True, db_index=True)
    popularity = models.IntegerField(default=0)
    length = models.IntegerField(default=0)  # terms in the analysed body (``search.ranking``)
    fingerprint = models.CharField(max_length=64)
    indexed_at = models.DateTimeField(auto_now=True, db_index=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    tags = models.JSONField(default=list)
    facets = models.JSONField(default=dict)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # PostgreSQL only (GIN-indexed by migrations there); SQLite uses FTS5 tables instead. The
    # search vector holds the impact tokens too (``search.backends.postgres_fts``).
    search_vector = SearchVectorField(null=True)
    title_vector = SearchVectorField(null=True)  # title and tags: small, read without TOAST

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self):
        return self.key


class SearchFacetValue(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["name", "value", "entry"])]
        constraints = [
            models.UniqueConstraint(fields=["entry", "name", "value"], name="unique_facet_value")
        ]

    def __str__(self):
        return f"{self.name}={self.value}"


class SearchTerm(models.Model):
    """How many indexed documents of one audience hold a word: the vocabulary that spelling
    corrections and suggestions draw from, kept with the index (see ``search.spelling``). The
    audience's access fields are the entries' own, so that ``access_q`` filters words as it
    filters entries."""

    word = models.CharField(max_length=40)  # folded, as the analysis reads it
    term = models.CharField(max_length=40, db_index=True)  # its indexed (stemmed) form
    spelling = models.CharField(max_length=40)  # as written (accents kept), to show
    audience = models.CharField(max_length=300)  # the access fields below, as one key
    access_level = models.CharField(max_length=20, choices=AccessLevel.choices)
    allowed_roles = RoleSetField()
    establishment_id = models.IntegerField(null=True)
    establishment_families = CodeSetField(codes=EstablishmentFamily, max_length=100)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["word", "audience"], name="unique_search_term")
        ]

    def __str__(self):
        return f"{self.word} ({self.audience}: {self.documents})"


class SearchTermVariant(models.Model):
    """A word, and each form of it with one letter deleted, leading to the word: two words
    within one typing slip share a variant (see ``search.spelling``)."""

    variant = models.CharField(max_length=40)
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="unique_search_variant")
        ]

    def __str__(self):
        return f"{self.variant} -> {self.word}"


class SynonymGroup(models.Model):
    """Words and phrases a search treats as the same (e.g. rançongiciel, ransomware)."""

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_("Separated by commas, e.g. “hameçonnage, phishing”. Phrases are allowed."),
    )

    panels = [FieldPanel("terms")]

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")
        ordering = ["id"]

    def __str__(self):
        return ", ".join(self.term_list())

    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.split(",") if term.strip()]

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Give at least two equivalent terms.")})


KIND_WEIGHTS_KEY = "search:kind-weights"


class SearchKindWeight(models.Model):
    """How much a kind of content weighs in relevance ranking (1 = neutral): e.g. curated
    guides above forum posts that only mention the words (``search.ranking``)."""

    MIN_WEIGHT, MAX_WEIGHT = 0.25, 4.0

    kind = models.CharField(
        _("kind of content"),
        max_length=40,
        unique=True,
        help_text=_("The search section, e.g. “documents” or “forum”."),
    )
    weight = models.FloatField(
        _("weight"),
        default=1.0,
        help_text=_("Multiplies the relevance score: 1 is neutral, 2 doubles it, 0.5 halves it."),
    )

    panels = [FieldPanel("kind"), FieldPanel("weight")]

    class Meta:
        verbose_name = _("content weight in search")
        verbose_name_plural = _("content weights in search")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.kind} × {self.weight:g}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(KIND_WEIGHTS_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(KIND_WEIGHTS_KEY)
        return result

    def clean(self):
        kinds = {source.kind for source in registry.sources()}
        if self.kind not in kinds:
            raise ValidationError({"kind": _("Unknown search section.")})
        if not self.MIN_WEIGHT <= self.weight <= self.MAX_WEIGHT:
            raise ValidationError({"weight": _("Choose a weight between 0.25 and 4.")})


class QueryStat(models.Model):
    """How often a query was typed on a day, and how often it found nothing (no user kept)."""

    query = models.CharField(max_length=200)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    without_results = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search statistic")
        verbose_name_plural = _("search statistics")
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="unique_query_day")]

    def __str__(self):
        return f"{self.day} {self.query}"
