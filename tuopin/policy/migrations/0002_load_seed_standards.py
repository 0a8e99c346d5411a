from django.db import migrations


def load(apps, schema_editor):
    from tuopin.policy.seed import PROVINCE_DEFAULTS, rows

    Standard = apps.get_model("policy", "Standard")
    for row in rows(PROVINCE_DEFAULTS):
        Standard.objects.update_or_create(key=row["key"], year=row["year"], region=None, defaults=row)


def unload(apps, schema_editor):
    apps.get_model("policy", "Standard").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
