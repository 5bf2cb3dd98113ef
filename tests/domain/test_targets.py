"""Target files load with citations; metrics evaluate exactly on small cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.targets import Site, Target, TargetConfigError, Unit, evaluate, load_targets

SEED = Path(__file__).resolve().parents[2] / "seed" / "targets"


def site(kind: str, township: str = "t1", places: int = 0, puhui: bool = False) -> Site:
    return Site((kind,), "c1", township, None, None, None, places, puhui)


def target(metric: str, **extra: object) -> Target:
    base: dict[str, object] = dict(
        code="x", name_zh="x", metric=metric, kinds=("childcare_center",), op=">=",
        value=50.0, unit="%", year=2025, scope=("city",), cite="test",
    )  # fmt: skip
    base.update(extra)
    return Target(**base)  # type: ignore[arg-type]


def test_every_city_file_loads_and_cites() -> None:
    loaded = load_targets(SEED)
    assert set(loaded) == {"512000", "510100", "511700"}
    per_1000 = {
        city: t.value
        for city, ts in loaded.items()
        for t in ts
        if t.code == "childcare_places_per_1000"
    }
    assert per_1000 == {"512000": 4.5, "510100": 4.74, "511700": 4.5}
    assert all(t.cite for targets in loaded.values() for t in targets)


def test_places_per_thousand_and_puhui_share() -> None:
    sites = [site("childcare_center", places=30, puhui=True), site("childcare_center", places=10)]
    per_1000 = evaluate(target("places_per_1000", value=4.5), sites, 10_000, [])
    assert per_1000["value"] == 4.0 and per_1000["met"] is False
    share = evaluate(target("puhui_place_share", op=">"), sites, 10_000, [])
    assert share["value"] == 75.0 and share["met"] is True


def test_one_per_unit_lists_the_units_lacking_one() -> None:
    units = [Unit("t1", "甲街道", "街道"), Unit("t2", "乙街道", "街道"), Unit("t3", "丙镇", "镇")]
    result = evaluate(
        target("one_per_unit", unit_level="township", unit_types=("街道",), value=100.0),
        [site("childcare_center", "t1")],
        None,
        units,
    )
    assert result["value"] == 50.0 and result["met"] is False
    assert result["detail"]["lacking"] == [{"code": "t2", "name": "乙街道"}]


def test_a_target_without_citation_is_refused(tmp_path: Path) -> None:
    (tmp_path / "512000.toml").write_text(
        'city = "512000"\n[[target]]\ncode = "x"\nname_zh = "x"\nmetric = "count"\n'
        'kinds = ["meal_point"]\nop = ">="\nvalue = 1\nunit = "个"\nyear = 2025\ncite = ""\n',
        "utf-8",
    )
    with pytest.raises(TargetConfigError, match="citation"):
        load_targets(tmp_path)
