"""Incremental facts: triggers note every write the facts copy (reports/triggers.py); the stamp keeps the refresh's state.

The triggers are created here and re-created after every migrate if a table rebuild dropped
them (reports.apps). A (0, 0) change is queued, so the first report after this migration
rebuilds the facts once: writes made before the triggers existed were never noted.
"""

from django.db import migrations, models

from reports import triggers


def triggers_create(apps, schema_editor):
    for statement in triggers.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)
    apps.get_model("reports", "FactChange").objects.create(delivery_id=0, participant_id=0)


def triggers_drop(apps, schema_editor):
    for statement in triggers.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_fact_reads_completion_decision'),
        # The tables the triggers watch, with every column they read.
        ('attendance', '0003_check_in_failures_in_shared_throttle'),
        ('assessments', '0004_certificate_dates_and_review'),
        ('courses', '0009_one_audience_vocabulary'),
        ('curriculum', '0004_topic_names'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='reportrefresh',
            name='fingerprint',
        ),
        migrations.RemoveField(
            model_name='reportrefresh',
            name='held_fingerprint',
        ),
        migrations.AddField(
            model_name='enrolmentfact',
            name='generation',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='reportrefresh',
            name='generation',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='reportrefresh',
            name='held_sessions',
            field=models.IntegerField(default=-1),
        ),
        migrations.AddField(
            model_name='reportrefresh',
            name='rebuild_started_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name='FactChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('delivery_id', models.BigIntegerField()),
                ('participant_id', models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
