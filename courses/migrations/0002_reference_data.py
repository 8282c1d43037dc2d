"""Seed Tajikistan and Kyrgyzstan with their regions (ISO 3166-2) and time zones."""

from django.db import migrations

from courses.reference_data import load_reference_data


def seed(apps, schema_editor):
    load_reference_data(apps.get_model("courses", "Country"), apps.get_model("courses", "Region"))


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
