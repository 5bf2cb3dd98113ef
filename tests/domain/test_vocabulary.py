from app.domain.vocabulary import kinds, ownerships, services

REQUIRED_KINDS = {
    "eldercare_institution",
    "community_eldercare_complex",
    "day_care_center",
    "meal_point",
    "integrated_medical_eldercare",
    "childcare_center",
    "nursery_class",
    "community_childcare_point",
    "all_age_community_complex",
}


def test_the_kinds_the_issue_names_are_coded_and_cited() -> None:
    vocab = kinds()
    assert set(vocab) >= REQUIRED_KINDS
    assert vocab["meal_point"].name_zh == "老年助餐点"
    assert "长者食堂" in vocab["meal_point"].aliases
    assert all(term.cite and term.side for term in vocab.values())


def test_childcare_modes_are_services() -> None:
    assert {"full_day", "half_day", "hourly", "occasional"} <= set(services())
    assert services()["hourly"].name_zh == "计时托"


def test_ownership_models() -> None:
    assert ownerships()["public_built_private_run"].name_zh == "公建民营"
