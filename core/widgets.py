"""A <select> rendered in Python: the same HTML as Django's Select, without a template per option.

Django renders each <option> through its own template include; a list page's filter form (ten
selects, some with dozens of options) spent about a third of /deliveries/ in those templates
(issue 18, measured with cProfile). The markup is Django's select.html and select_option.html
written out: the same attributes in the same order (as attrs.html: True bare, False left out),
optgroups, escaping through format_html.
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class LightSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        # Safe: every piece came out of format_html, which escaped the values.
        return mark_safe("".join(parts))


def _attributes(attrs: dict) -> SafeString:
    """Django's attrs.html: in the given order, a True value as a bare name, a False one left out."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def use_light_selects(form: forms.Form) -> None:
    """Render the form's plain selects with LightSelect (subclasses of Select are left as they are).

    The widget keeps its state (attrs, choices, is_required): only its class changes, to one that
    adds nothing but a faster render.
    """
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = LightSelect
