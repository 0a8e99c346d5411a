"""The household stages of checking a file: household cells and location of a household's first row,
repeated cells that must agree, and the checks across a household's rows (one head, totals, member count).

The per-field rules of a household are the registry's (``Context.check_household``)."""

from collections.abc import Callable, Sequence
from decimal import Decimal

from tuopin.imports.parsing.cells import BLANK_OF, CONVERTERS, CodeMap, cell_text, is_blank
from tuopin.imports.parsing.constants import Relation
from tuopin.imports.parsing.errors import Reporter
from tuopin.imports.parsing.layout import INCOME_PARTS, Column, Level
from tuopin.imports.parsing.reader import Cell
from tuopin.imports.parsing.result import BadCellError, Location, ParsedHousehold, Values

ZERO = Decimal(0)
Positioned = Sequence[tuple[int, Column]]
Locate = Callable[[str, str, str, str], Location | str]


def household_values(
    raw: list[Cell], row: int, year: int | None, columns: Positioned, code_map: CodeMap, report: Reporter
) -> Values:
    """The household cells of a household's first row, converted (bad or empty required cells reported)."""
    fields: Values = {}
    for pos, column in columns:
        cell = raw[pos]
        if is_blank(cell):
            if column.required:
                report.add(row, column, cell, f"“{column.header}”不能为空")
            fields[column.key] = BLANK_OF[column.kind]
            continue
        try:
            fields[column.key] = CONVERTERS[column.kind](column, cell, year, code_map)
        except BadCellError as bad:
            report.add(row, column, cell, f"“{cell_text(cell)}”{bad}")
            fields[column.key] = BLANK_OF[column.kind]
    return fields


class Locator:
    """Regions named on the rows → ``Location``; each distinct place is asked for once."""

    def __init__(self, locate: Locate, columns: Positioned) -> None:
        self._locate = locate
        self._columns = columns
        self._cache: dict[tuple[str, str, str, str], Location | str] = {}
        self._village = next((column for _, column in columns if column.key == "village"), None)

    def __call__(self, raw: list[Cell], row: int, report: Reporter) -> Location | None:
        place = {column.key: cell_text(raw[pos]) for pos, column in self._columns}
        key = (
            place.get("county", ""),
            place.get("township", ""),
            place.get("village", ""),
            place.get("group", ""),
        )
        if key not in self._cache:
            self._cache[key] = self._locate(*key)
        located = self._cache[key]
        if isinstance(located, str):
            report.add(row, self._village, "/".join(part for part in key if part), located)
            return None
        return located


def check_repeated(
    row: int,
    shared: Sequence[Cell],
    first_row: int,
    first_shared: Sequence[Cell],
    columns: Positioned,
    report: Reporter,
) -> None:
    """The location and household cells repeated on every row of a household agree with its first row."""
    for (_pos, column), a, b in zip(columns, shared, first_shared, strict=True):
        if cell_text(a) != cell_text(b):
            report.add(
                row,
                column,
                a,
                f"同一户的“{column.header}”应与本户第 {first_row} 行一致（该行为“{cell_text(b)}”）",
            )


def _check_relations(household: ParsedHousehold, report: Reporter) -> None:
    rows, persons, no = household.rows, household.persons, household.household_no
    relation = report.column("relation")
    pairs = list(zip(rows, persons, strict=True))
    heads = [row for row, person in pairs if person.get("relation") == Relation.HEAD]
    spouses = [row for row, person in pairs if person.get("relation") == Relation.SPOUSE]
    if not heads and all(person.get("relation") for person in persons):
        for row in rows:
            report.add(row, relation, "", f"户 {no} 没有户主（每户必须有且只有一名户主）")
    for row in heads[1:]:
        report.add(row, relation, "户主", f"户 {no} 有多名户主（第 {heads[0]} 行已是户主）")
    for row in spouses[1:]:
        report.add(row, relation, "配偶", f"户 {no} 有多名配偶（第 {spouses[0]} 行已是配偶）")
    if len(heads) == 1 and len(spouses) == 1:
        head = persons[rows.index(heads[0])]
        spouse = persons[rows.index(spouses[0])]
        if head.get("sex") and head.get("sex") == spouse.get("sex"):
            report.add(spouses[0], report.column("sex"), "", "户主与配偶的性别相同，请核对")


def _amount(fields: Values, name: str) -> Decimal | None:
    value = fields.get(name)
    return value if isinstance(value, Decimal) else None


def _check_totals(household: ParsedHousehold, report: Reporter) -> None:
    """家庭人口数, 年收入 and 纯收入 are checked against the rows and parts, and not stored."""
    fields, first = household.fields, household.rows[0]
    count = fields.pop("member_count", None)
    if count is not None and count != len(household.rows):
        column = report.column("member_count", Level.HOUSEHOLD)
        report.add(first, column, count, f"家庭人口数为 {count}，但文件中本户有 {len(household.rows)} 人")
    gross_stated = _amount(fields, "gross_income")
    net_stated = _amount(fields, "net_income")
    fields.pop("gross_income", None)
    fields.pop("net_income", None)
    parts = [_amount(fields, name) for name in INCOME_PARTS]
    gross = sum((part for part in parts if part is not None), ZERO) if None not in parts else None
    if gross_stated is not None:
        column = report.column("gross_income", Level.HOUSEHOLD)
        if gross is None:
            report.add(first, column, gross_stated, "填写了年收入，但四项收入不全")
        elif gross != gross_stated:
            report.add(
                first,
                column,
                gross_stated,
                f"年收入应等于工资性、生产经营性、财产性、转移性收入之和（{gross}）",
            )
    if net_stated is not None:
        column = report.column("net_income", Level.HOUSEHOLD)
        expense = _amount(fields, "business_expense")
        if gross is None or expense is None:
            report.add(first, column, net_stated, "填写了纯收入，但收入或生产经营性支出不全")
        elif gross - expense != net_stated:
            report.add(first, column, net_stated, f"纯收入应等于年收入减生产经营性支出（{gross - expense}）")


def check_household(household: ParsedHousehold, report: Reporter) -> None:
    """The checks across a household's rows; the per-field rules are the registry's (``check_household``)."""
    _check_relations(household, report)
    _check_totals(household, report)
