from django import forms
from django.utils.translation import gettext_lazy as _


class PersonalCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        help_text=_("The code on the slip your trainer gave you, for example ABCD-7KMP."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
