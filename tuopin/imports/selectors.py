"""Reads for imports and exports, all starting from the jurisdiction-scoped registry selectors."""

from collections.abc import Iterator

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.imports.models import ImportBatch
from tuopin.imports.parsing.layout import HEADERS, HOUSEHOLD_FIELDS, PERSON_FIELDS
from tuopin.imports.parsing.write import registry_row
from tuopin.registry import codes, privacy
from tuopin.registry.models import CodeList, Household, Person
from tuopin.registry.selectors import HouseholdFilters, household_list, persons_for


def batches_for(user: User) -> QuerySet[ImportBatch]:
    """The user's own batches (the county office sees every batch)."""
    qs = ImportBatch.objects.select_related("uploaded_by")
    if may(user, "imports.view_all_batches"):
        return qs
    return qs.filter(uploaded_by=user)


def batch_get(*, user: User, pk: int) -> ImportBatch:

    batch = batches_for(user).filter(pk=pk).first()
    if batch is None:
        raise Http404("没有找到该导入批次")
    return batch


def label_lookup():
    """(code list, code) → label, for every year (an export writes what is stored)."""
    labels = {(name, code.code): code.label for name in CodeList.values for code in codes.codes(name)}

    def label(list_name: str, code: str) -> str:
        return labels.get((list_name, code), code)

    return label


def export_households(*, user: User, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    """The household list as shown (scoped and filtered); the console actor sees the whole county."""
    return household_list(user=user, filters=filters)


def _masked(values: dict) -> dict:
    """A row's values with ID number, phones and health details masked (``registry.privacy``)."""
    masked = dict(values)
    if "id_number" in masked:
        masked["id_number"] = privacy.mask_id_number(masked["id_number"])
    if "phone" in masked:
        masked["phone"] = privacy.mask_phone(masked["phone"])
    for name in privacy.HEALTH_FIELDS & masked.keys():
        masked[name] = False if isinstance(masked[name], bool) else ""
    return masked


def export_rows(
    *,
    user: User,
    filters: HouseholdFilters | None = None,
    people: QuerySet[Person] | None = None,
    masked: bool = False,
) -> Iterator[list[object]]:
    """Rows in the registry layout for the households of the filtered list, every member each, ordered by
    户编号 then 户主 first then entry order; with ``people`` only those people (still with their household's
    fields and the household's full 家庭人口数). ``masked``: ID numbers, phones and health details masked
    (for roles without ``registry.export_personal_data``)."""
    label = label_lookup()
    household_ids = export_households(user=user, filters=filters).values("pk")
    household_values = Household.objects.filter(pk__in=household_ids)
    columns = [
        "pk",
        "household_no",
        "village__name",
        "village__parent__name",
        "village__parent__parent__name",
        "group__name",
        *HOUSEHOLD_FIELDS,
    ]
    households = {row["pk"]: row for row in household_values.values(*columns)}
    counts: dict[int, int] = {}
    for household_id in Person.objects.filter(household_id__in=household_ids).values_list(
        "household_id", flat=True
    ):
        counts[household_id] = counts.get(household_id, 0) + 1
    base = people if people is not None else (persons_for(user) if user is not None else Person.objects.all())
    person_rows = (
        base.filter(household_id__in=household_ids)
        .annotate(
            head_first=Case(
                When(relation="head", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("household__household_no", "head_first", "pk")
        .values("household_id", *PERSON_FIELDS)
    )
    for person in person_rows.iterator(chunk_size=2000):
        household = households[person["household_id"]]
        location = (
            household["village__parent__parent__name"] or "",
            household["village__parent__name"] or "",
            household["village__name"] or "",
            household["group__name"] or "",
        )
        if masked:
            household, person = _masked(household), _masked(person)
        yield registry_row(location, household, person, counts.get(person["household_id"], 0), label)


def export_size(*, user: User, filters: HouseholdFilters | None = None) -> int:
    """How many people (rows) the export of the filtered list holds."""
    household_ids = export_households(user=user, filters=filters).values("pk")
    return persons_for(user).filter(household_id__in=household_ids).count()


EXPORT_HEADERS = HEADERS
