"""Plain-language summaries for older users: pure functions, no HTTP."""

from __future__ import annotations

from typing import Any

from app.domain.fuzzy import distance_range, verdict
from app.domain.plain_zh import (
    LABEL_MAX,
    SHORT_NAME_MAX,
    area_sentence,
    label,
    short_name,
    simple_view,
)
from app.domain.tally import region_sentence, tally
from app.domain.vocabulary import kinds


def home(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": "资阳市雁江区莲花街道暖阳养老院（示例）",
        "kinds": ["eldercare_institution"],
        "puhui": True,
        "is_sample": True,
        "beds": 190,
        "childcare_places": None,
        "vacancy": {"beds": 3, "childcare_places": None},
        "phone": "028-26584629",
        "address": "四川省资阳市雁江区莲花街道北示例巷84号",
        "status": "open",
    }
    return item | changes


def test_the_example_sentence_and_a_phone_first_next_step() -> None:
    view = simple_view(home(walk_minutes=7.6), None)
    assert view["sentence"] == (
        "资阳市雁江区莲花街道暖阳养老院（示例）是普惠养老机构，现有空床 3 张，步行约 8 分钟。"
    )
    assert view["next_step"] == {
        "action": "call",
        "text": "拨打 028-26584629 预约参观",
        "phone": "028-26584629",
    }
    assert view["short_name"] == "莲花街道暖阳养老院（示例）"
    assert view["label"] == "普惠养老机构"


def test_without_a_phone_the_address_and_hours() -> None:
    view = simple_view(home(phone=None), "每日 08:00–18:00")
    assert view["next_step"]["action"] == "visit" and view["next_step"]["phone"] is None
    assert view["next_step"]["text"] == (
        "地址：四川省资阳市雁江区莲花街道北示例巷84号；开放时间：每日 08:00–18:00"
    )
    bare = simple_view(home(phone="  ", address=None), None)["next_step"]
    assert bare["action"] == "ask_community" and "社区" in bare["text"]


def test_meal_points_say_what_to_ask() -> None:
    view = simple_view(home(kinds=["meal_point"], beds=None, vacancy={}), None)
    assert view["next_step"]["text"] == "拨打 028-26584629 询问用餐"
    assert "空" not in view["sentence"]


def test_vacancy_wording_full_none_and_unknown() -> None:
    assert "目前没有空床" in simple_view(home(vacancy={"beds": 0}), None)["sentence"]
    assert "空位情况请电话询问" in simple_view(home(vacancy={"beds": None}), None)["sentence"]
    child = home(
        kinds=["childcare_center"], beds=None, childcare_places=40, vacancy={"childcare_places": 5}
    )
    assert "现有空托位 5 个" in simple_view(child, None)["sentence"]


def test_distances_read_plainly() -> None:
    assert "离您约 240 米" in simple_view(home(distance_m=236.4), None)["sentence"]
    assert "离您约 2.3 公里" in simple_view(home(distance_m=2345.0), None)["sentence"]
    fuzzy = home(distance_m=2000.0, distance_range_m={"min": 0.0, "max": 5000.0})
    assert "离您大约 0–5 公里（按大概位置估算）" in simple_view(fuzzy, None)["sentence"]


def test_a_facility_that_is_not_open_says_so_instead_of_vacancy() -> None:
    sentence = simple_view(home(status="suspended"), None)["sentence"]
    assert "目前暂停服务" in sentence and "空床" not in sentence


def test_short_fields_fit_large_type_and_keep_the_sample_marker() -> None:
    for code, term in kinds().items():
        for puhui in (True, False):
            assert len(label([code], puhui)) <= LABEL_MAX, term.name_zh
    long = short_name("资阳市安岳县岳城街道南山社区老年人日间照料中心（示例）", True)
    assert long.endswith("（示例）") and long.startswith("岳城街道")
    assert len(long.removesuffix("（示例）")) == SHORT_NAME_MAX and "…" in long
    assert short_name("区域性养老服务中心", False) == "区域性养老服务中心"  # 区域 is no 区
    assert short_name("暖阳养老院", True) == "暖阳养老院（示例）"


def test_area_sentences() -> None:
    assert (
        area_sentence("covered", "日间照料中心", "15", 1.0)
        == "这一带步行 15 分钟内都有日间照料中心"
    )
    assert area_sentence("depends", "老年助餐点", "15", 0.42) == (
        "要看您住在哪里：这一带约 42% 的地方步行 15 分钟内有老年助餐点"
    )


def test_distance_range_and_area_verdicts() -> None:
    assert distance_range(500.0, 3000.0) == (0.0, 3500.0)
    assert distance_range(5000.0, 3000.0) == (2000.0, 8000.0)
    assert verdict([True, True, None]) == "covered"
    assert verdict([False, None]) == "not_covered"
    assert verdict([True, False]) == "depends"
    assert verdict([None, None]) == "unknown" and verdict([]) == "unknown"


def test_a_street_tally_counts_fresh_vacancies_and_both_kinds() -> None:
    items = [
        home(kinds=["eldercare_institution", "day_care_center"], vacancy={"beds": 3}),
        home(puhui=False, vacancy={"beds": None, "childcare_places": None}),
        home(
            kinds=["childcare_center"],
            beds=None,
            childcare_places=30,
            vacancy={"beds": None, "childcare_places": 0},
        ),
        home(kinds=["meal_point"], beds=None, vacancy={"beds": None, "childcare_places": None}),
    ]
    counts = tally(items)
    assert counts["facilities"] == 4 and counts["puhui"] == 3
    by_kind = {k["kind"]: (k["count"], k["puhui"]) for k in counts["by_kind"]}
    assert by_kind["eldercare_institution"] == (2, 1) and by_kind["day_care_center"] == (1, 1)
    assert counts["vacancy"] == {
        "beds": 3,
        "childcare_places": 0,
        "facilities_with_vacancy": 1,
        "facilities_unknown": 1,  # the meal point has no capacity to report
    }
    assert region_sentence("莲花街道", "urban", 15, counts) == (
        "莲花街道是城市街道，适用 15 分钟服务圈；有 4 处服务设施，其中普惠 3 处；现有空床 3 张。"
    )
