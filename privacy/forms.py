from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the person's written request and its date. Kept in the audit trail."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that the name, phone, year of birth, position and sign-in account are removed for good."
        ),
    )
