from django.db import migrations


def load(apps, schema_editor):
    from tuopin.policy.seed import MONITORING_DEFAULTS, rows

    Standard = apps.get_model("policy", "Standard")
    for row in rows(MONITORING_DEFAULTS):
        Standard.objects.update_or_create(key=row["key"], year=row["year"], region=None, defaults=row)


def unload(apps, schema_editor):
    from tuopin.policy.seed import MONITORING_DEFAULTS

    Standard = apps.get_model("policy", "Standard")
    for row in MONITORING_DEFAULTS:
        Standard.objects.filter(key=row["key"], year=row["year"], region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_monitoring_keys")]
    operations = [migrations.RunPython(load, unload)]
