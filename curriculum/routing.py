"""Where an address under the catalogue leads, kept by each process under the content version.

A module's address is four path segments deep: Wagtail reads the catalogue, the course and the
module on the way, one query each even after TranslationFallbackMixin's one-query steps, and that
walk was the larger part of a module page's server time (issue 18: 1.9× the bare home page). The
page an address led to, in the reader's language, is kept under the content version
(curriculum.content_cache), which every save, publication, unpublication, move and deletion of a
page replaces in its transaction; a kept address costs one query for its page. What is kept is
only which page answered: the page is read again on each request, must still be live, and its view
restrictions are checked by Wagtail's serve as for any page. An address that found nothing is not
kept, so guessing addresses fills nothing.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from wagtail.url_routing import RouteResult

from .content_cache import CONTENT_CACHE_SECONDS, kept_key

# The pages whose route ends with themselves (no sub-routes, no arguments): only these are kept.
KEPT_PAGE_MODELS = frozenset({"curriculum.courseindexpage", "curriculum.coursepage", "curriculum.modulepage"})


def _key(root, path_components) -> str:
    # Hashed: an address may be long or hold characters a cache key should not.
    path = hashlib.sha256("/".join(path_components).encode()).hexdigest()
    return kept_key("route", root.pk, path)


def route_kept(root, request, path_components, walk):
    """The route of `path_components` under `root` (a site's home page): the kept one, else `walk`'s."""
    key = _key(root, path_components)
    kept = cache.get(key)
    if kept is not None:
        model_label, pk = kept
        page = apps.get_model(model_label).objects.select_related("locale").filter(pk=pk, live=True).first()
        if page is not None:
            return RouteResult(page)
    result = walk(request, path_components)
    page, args, kwargs = result
    if page._meta.label_lower in KEPT_PAGE_MODELS and not args and not kwargs:
        cache.set(key, (page._meta.label_lower, page.pk), CONTENT_CACHE_SECONDS)
    return result
