"""Kyrgyz: Django 5.2 ships a decimal point, but Kyrgyzstan writes a decimal comma (as CLDR's ky does),
so a Kyrgyz page showed "29.2" where the Russian and Tajik pages of the same report showed "29,2"."""

from django.conf.locale.ky.formats import *  # noqa: F403 (everything else stays Django's)

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space, so 12 345 never breaks across lines
NUMBER_GROUPING = 3
