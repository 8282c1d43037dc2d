# One counter row per (scope, key) replaces one row per wrong guess: an attempt is reserved with a
# conditional UPDATE before the guess is checked, which parallel requests cannot race past.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_personal_codes_and_throttling"),
    ]

    operations = [
        migrations.DeleteModel(name="FailedAttempt"),
        migrations.CreateModel(
            name="ThrottleCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=32)),
                ("key", models.CharField(max_length=200)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("window_started_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("scope", "key"), name="throttle_count_unique_key")
                ],
            },
        ),
    ]
