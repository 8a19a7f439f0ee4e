"""Live indexing: the index follows every change of a registered source's objects.

The database index is written in the same transaction as the change (it commits or rolls back
with it); Elasticsearch, when configured, is brought in line after the commit by a background
task that copies the changed database entries.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

from search import answer_cache, backends, registry
from search.documents import model_key
from search.tasks import mirror_to_elasticsearch


def document_for(obj):
    source = registry.source_for_model(type(obj))
    if source is None:
        return None
    document = source.document(obj)
    if document is not None and document.key != model_key(obj):
        raise ValueError(f"{source.kind}: the key of {obj!r} must be {model_key(obj)}")
    return document


def reindex(objects) -> None:
    """Index these objects as they are now (or drop those that must not be searchable)."""
    documents, gone = [], []
    for obj in objects:
        if registry.source_for_model(type(obj)) is None:
            continue
        document = document_for(obj)
        if document is None:
            gone.append(model_key(obj))
        else:
            documents.append(document)
    backends.get_database().delete(gone)
    backends.get_database().index(documents)
    answer_cache.index_changed()
    _mirror([document.key for document in documents] + gone)


def remove(keys: list[str]) -> None:
    backends.get_database().delete(keys)
    answer_cache.index_changed()
    _mirror(keys)


def _mirror(keys: list[str]) -> None:
    if keys and backends.get_elasticsearch() is not None:
        transaction.on_commit(
            lambda: mirror_to_elasticsearch.enqueue(keys=sorted(keys)), robust=True
        )


def _specific(instance):
    if isinstance(instance, Page) and type(instance) is Page:
        return instance.specific_deferred
    return instance


def _searchable_pages_under(page):
    pages = Page.objects.descendant_of(page, inclusive=True).specific()
    return [p for p in pages if registry.source_for_model(type(p)) is not None]


def on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    instance = _specific(instance)
    if registry.source_for_model(type(instance)) is None:
        return
    if update_fields is not None:
        # A partial save (e.g. Wagtail saving a draft revision) leaves unsaved values on the
        # instance: index what is stored.
        instance = type(instance)._default_manager.filter(pk=instance.pk).first()
    if instance is not None:
        reindex([instance])


def on_delete(sender, instance, **kwargs):
    if registry.source_for_model(type(instance)) is not None:
        remove([model_key(instance)])


def on_page_tree_change(sender, instance, **kwargs):
    reindex(_searchable_pages_under(instance))


def on_restriction_change(sender, instance, **kwargs):
    # Deleting a page deletes its restrictions first: nothing left to reindex then.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        reindex(_searchable_pages_under(page))


def connect_signals() -> None:
    post_save.connect(on_save, dispatch_uid="search_on_save")
    post_delete.connect(on_delete, dispatch_uid="search_on_delete")
    post_page_move.connect(on_page_tree_change, dispatch_uid="search_on_move")
    page_slug_changed.connect(on_page_tree_change, dispatch_uid="search_on_slug")
    page_unpublished.connect(on_page_tree_change, dispatch_uid="search_on_unpublish")
    post_save.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search_pvr")
    post_delete.connect(
        on_restriction_change, sender=PageViewRestriction, dispatch_uid="search_pvr_delete"
    )
