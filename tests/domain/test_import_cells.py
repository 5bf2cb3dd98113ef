"""Import cells to typed values: three date shapes, Chinese names for codes, formulas."""

from datetime import date

import pytest

from app.domain.facility_record import FieldError
from app.domain.import_cells import cells_of, header_map, parse_cells
from app.domain.import_files import neutralised


@pytest.mark.parametrize("text", ["2024-03-01", "2024/3/1", "2024年3月1日"])
def test_three_date_shapes(text: str) -> None:
    parsed = parse_cells({"name": "甲", "kinds": "养老院", "puhui_certified_on": text})
    assert parsed.values["puhui_certified_on"] == date(2024, 3, 1) and parsed.errors == []


def test_chinese_names_become_codes() -> None:
    parsed = parse_cells(
        {"name": "甲", "kinds": "长者食堂、托育机构", "status": "在建", "puhui": "是", "beds": "30"}
    )
    assert parsed.values == {
        "name": "甲",
        "kinds": ["meal_point", "childcare_center"],
        "status": "under_construction",
        "puhui": True,
        "beds": 30,
    }


def test_every_problem_of_a_row_is_named() -> None:
    parsed = parse_cells({"name": "=1+1", "kinds": "城堡", "beds": "3.5", "lon": "东经104"})
    assert parsed.errors == [
        FieldError("name", "单元格是电子表格公式（以 = 开头），请改为数值"),
        FieldError("kinds", "未知设施类型：城堡"),
        FieldError("beds", "“3.5”不是整数"),
        FieldError("lon", "“东经104”不是数字"),
    ]


def test_neutralised_cells_read_back_as_written() -> None:
    values = {"name": "甲", "kinds": ["meal_point"], "phone": "+86 28 1234", "puhui": False}
    cells = {k: neutralised(v) for k, v in cells_of(values).items()}
    assert cells["phone"] == "'+86 28 1234"
    parsed = parse_cells(cells)
    assert parsed.errors == [] and parsed.values["phone"] == "+86 28 1234"


def test_headers_in_chinese_or_codes() -> None:
    assert header_map(["名称", "kinds", "经度", "备注"]) == {
        "名称": "name",
        "kinds": "kinds",
        "经度": "lon",
    }
