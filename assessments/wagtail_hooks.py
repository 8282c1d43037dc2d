"""Authoring tests in the Wagtail admin: an instrument with ordered questions and their choices.

Instruments are snippets, translatable per locale (wagtail.contrib.simple_translation adds
"Translate"). Saving an instrument re-scores its submitted attempts, so a corrected key
reaches every result, and each changed score is kept in ScoreChange.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Instrument
from .services import instrument_rescore


class InstrumentViewSet(SnippetViewSet):
    model = Instrument
    icon = "tasks"
    menu_label = gettext_lazy("Test instruments")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "course", "locale"]
    search_fields = ["title"]
    search_backend_name = None


register_snippet(InstrumentViewSet)


@hooks.register("after_edit_snippet")
def rescore_after_key_change(request, instance):
    if isinstance(instance, Instrument):
        changed = instrument_rescore(
            instrument=instance, changed_by=request.user, reason=_("Key corrected in the administration")
        )
        if changed:
            messages.info(
                request,
                ngettext(
                    "Score re-calculated for %(count)s attempt.",
                    "Scores re-calculated for %(count)s attempts.",
                    changed,
                )
                % {"count": changed},
            )
