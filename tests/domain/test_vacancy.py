from datetime import UTC, datetime, timedelta

from app.domain.vacancy import Freshness, vacancy_view

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
MONTH = Freshness(NOW, timedelta(days=30))


def test_fresh_vacancy_keeps_its_counts() -> None:
    view = vacancy_view(5, None, NOW - timedelta(days=29, hours=23), MONTH)
    assert (view["beds"], view["stale"], view["age_days"]) == (5, False, 30.0)


def test_stale_vacancy_is_unknown_but_dated() -> None:
    reported = NOW - timedelta(days=30, seconds=1)
    view = vacancy_view(5, 2, reported, MONTH)
    assert view == {
        "beds": None,
        "childcare_places": None,
        "reported_at": reported.isoformat(),
        "age_days": 30.0,
        "stale": True,
    }


def test_never_reported_is_unknown_not_stale() -> None:
    assert vacancy_view(None, None, None, MONTH)["stale"] is False
