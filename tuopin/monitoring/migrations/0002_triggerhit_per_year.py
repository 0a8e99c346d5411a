"""Trigger hits become the current result of a data year (one row per year and household, rewritten only when
its outcomes change) instead of one row per run and household. Of the stored hits, the latest run's of each year
are kept."""

from django.db import migrations, models


def keep_latest_run_of_each_year(apps, schema_editor):
    MonitoringRun = apps.get_model("monitoring", "MonitoringRun")
    TriggerHit = apps.get_model("monitoring", "TriggerHit")
    latest = {}
    for run_id, year in MonitoringRun.objects.order_by("id").values_list("id", "year"):
        latest[year] = run_id
    TriggerHit.objects.exclude(run_id__in=list(latest.values())).delete()
    for year, run_id in latest.items():
        TriggerHit.objects.filter(run_id=run_id).update(year=year)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="triggerhit",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="监测年度"),
            preserve_default=False,
        ),
        migrations.RunPython(keep_latest_run_of_each_year, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="triggerhit", name="triggerhit_unique"),
        migrations.AddConstraint(
            model_name="triggerhit",
            constraint=models.UniqueConstraint(fields=("year", "household"), name="triggerhit_year_household"),
        ),
    ]
