import zoneinfo

from django.db import migrations, models


def date_existing_certificates(apps, schema_editor):
    """A certificate states its delivery's last day (local to the region), else the day it was issued."""
    Certificate = apps.get_model("assessments", "Certificate")
    Session = apps.get_model("courses", "Session")
    for certificate in Certificate.objects.select_related("delivery__region").iterator():
        last = (
            Session.objects.filter(delivery_id=certificate.delivery_id)
            .exclude(status="cancelled")
            .order_by("-ends_at")
            .values_list("ends_at", flat=True)
            .first()
        )
        moment = last if last is not None and last <= certificate.issued_at else certificate.issued_at
        zone = zoneinfo.ZoneInfo(certificate.delivery.region.timezone)
        certificate.completed_on = moment.astimezone(zone).date()
        certificate.save(update_fields=["completed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_report_freshness"),
        ("courses", "0007_completion_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="completed_on",
            field=models.DateField(null=True, verbose_name="completed on"),
        ),
        migrations.RunPython(date_existing_certificates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="completed_on",
            field=models.DateField(verbose_name="completed on"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="flag_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason for review"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="flagged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="flagged for review at"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(("flagged_at__isnull", True), models.Q(("flag_reason", ""), _negated=True), _connector="OR"),
                name="certificate_flagged_with_reason",
            ),
        ),
    ]
