"""The one ReportRefresh row, with an empty fingerprint: the first report builds the outcome table."""

from django.db import migrations
from django.utils import timezone


def create_stamp(apps, schema_editor):
    ReportRefresh = apps.get_model("reports", "ReportRefresh")
    ReportRefresh.objects.get_or_create(pk=1, defaults={"fingerprint": "", "refreshed_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_report_tables")]

    operations = [migrations.RunPython(create_stamp, migrations.RunPython.noop)]
