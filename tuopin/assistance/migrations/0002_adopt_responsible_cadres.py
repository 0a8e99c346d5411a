"""Existing installations: every household whose registry record names a responsible cadre gets a current
pairing record (the pairing becomes the source of truth, docs/adr/0060). Nothing to do on an empty database."""

from django.db import migrations
from django.utils import timezone


def adopt(apps, schema_editor):
    Household = apps.get_model("registry", "Household")
    CadrePairing = apps.get_model("assistance", "CadrePairing")
    paired = CadrePairing.objects.filter(end_date__isnull=True).values("household_id")
    missing = Household.objects.filter(responsible_cadre__isnull=False).exclude(pk__in=paired)
    rows = [
        CadrePairing(
            cadre_id=cadre_id,
            household_id=pk,
            start_date=timezone.localtime(created).date() if created else timezone.localdate(),
        )
        for pk, cadre_id, created in missing.values_list("pk", "responsible_cadre_id", "created_at").iterator()
    ]
    CadrePairing.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
