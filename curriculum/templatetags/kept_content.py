"""`{% keep_content key %}…{% endkeep_content %}`: part of a page kept under `key` (curriculum.content_cache).

Django's `{% cache %}` with the timeout of curriculum.content_cache and a key made by the view
(holding the content version), and one difference: a key of None (a preview) renders the content
without keeping it. Used by the catalogue, course and module pages, the deliveries filter and the
walk-in form under the roster.
"""

from django import template
from django.core.cache.utils import make_template_fragment_key

from curriculum.content_cache import kept_value

register = template.Library()

FRAGMENT_NAME = "kept-content"


class KeptContentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        if key is None:
            return self.nodelist.render(context)
        return kept_value(
            make_template_fragment_key(FRAGMENT_NAME, [key]), lambda: self.nodelist.render(context)
        )


@register.tag
def keep_content(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes one argument: the key")
    nodelist = parser.parse(("endkeep_content",))
    parser.delete_first_token()
    return KeptContentNode(nodelist, parser.compile_filter(bits[1]))
