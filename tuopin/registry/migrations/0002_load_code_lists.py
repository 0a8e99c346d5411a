from django.db import migrations


def load(apps, schema_editor):
    from tuopin.registry.codes import load_rows

    CodeValue = apps.get_model("registry", "CodeValue")
    for row in load_rows():
        CodeValue.objects.update_or_create(
            list_name=row["list_name"], code=row["code"], defaults={k: v for k, v in row.items() if k not in {"list_name", "code"}}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
