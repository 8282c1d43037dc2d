from django.db import migrations, models

DECIDED = ["completed", "not_completed"]


def date_existing_decisions(apps, schema_editor):
    """Enrolments already marked completed / not completed get their decision date (when they changed)."""
    Enrolment = apps.get_model("courses", "Enrolment")
    Enrolment.objects.filter(status__in=DECIDED, decided_at__isnull=True).update(
        decided_at=models.F("status_changed_at")
    )


def cancel_sessions_of_cancelled_deliveries(apps, schema_editor):
    """A cancelled delivery has no held sessions: sessions left scheduled when it was cancelled are cancelled."""
    Session = apps.get_model("courses", "Session")
    Session.objects.filter(delivery__status="cancelled").exclude(status="cancelled").update(
        status="cancelled", sequence=models.F("sequence") + 1
    )


class Migration(migrations.Migration):
    dependencies = [("courses", "0006_report_freshness")]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="completion decided at"),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="decision_basis",
            field=models.JSONField(blank=True, default=dict, verbose_name="completion decided on"),
        ),
        migrations.RunPython(date_existing_decisions, migrations.RunPython.noop),
        migrations.RunPython(cancel_sessions_of_cancelled_deliveries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.CheckConstraint(
                condition=models.Q(("decided_at__isnull", False), ("status__in", DECIDED))
                | models.Q(models.Q(("status__in", DECIDED), _negated=True), ("decided_at__isnull", True)),
                name="enrolment_decided_has_date",
            ),
        ),
    ]
