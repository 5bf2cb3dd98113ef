"""Weekly opening-hour patterns of the sample facilities (local time, ISO weekdays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from seed.rows import HoursRow

EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
MON_FRI = (1, 2, 3, 4, 5)
MON_SAT = (1, 2, 3, 4, 5, 6)
TUE_SUN = (2, 3, 4, 5, 6, 7)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Intervals per weekday, the Chinese text shown to people, and the 24-hour flag."""

    days: tuple[int, ...]
    intervals: tuple[tuple[time, time | None], ...]
    text: str
    open_24h: bool = False

    def rows(self) -> tuple[HoursRow, ...]:
        return tuple(
            HoursRow(weekday=day, opens=opens, closes=closes)
            for day in self.days
            for opens, closes in self.intervals
        )


def _t(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


SCHEDULES: dict[str, Schedule] = {
    # closes=None is 24:00, which PostgreSQL's time type accepts and Python's does not.
    "residential": Schedule(EVERY_DAY, ((_t("00:00"), None),), "全天24小时（住养服务）", True),
    "round_the_clock": Schedule(EVERY_DAY, ((_t("00:00"), None),), "全天24小时值守", True),
    "day_care": Schedule(MON_SAT, ((_t("08:00"), _t("17:30")),), "周一至周六 08:00–17:30"),
    "meals": Schedule(
        EVERY_DAY,
        ((_t("10:30"), _t("13:00")), (_t("16:30"), _t("18:30"))),
        "每日 10:30–13:00、16:30–18:30 供餐",
    ),
    "childcare": Schedule(MON_FRI, ((_t("07:30"), _t("18:00")),), "周一至周五 07:30–18:00"),
    "office": Schedule(
        MON_FRI,
        ((_t("09:00"), _t("12:00")), (_t("14:00"), _t("17:30"))),
        "周一至周五 09:00–12:00、14:00–17:30",
    ),
    "activity": Schedule(EVERY_DAY, ((_t("08:30"), _t("20:30")),), "每日 08:30–20:30"),
    "village": Schedule(MON_SAT, ((_t("09:00"), _t("16:30")),), "周一至周六 09:00–16:30"),
    "kitchen": Schedule(
        EVERY_DAY, ((_t("06:00"), _t("18:30")),), "每日 06:00–18:30（中央厨房，不设堂食）"
    ),
    "hotline": Schedule(
        EVERY_DAY, ((_t("08:00"), _t("20:00")),), "服务热线每日 08:00–20:00，上门服务需预约"
    ),
    "classes": Schedule(TUE_SUN, ((_t("09:00"), _t("18:00")),), "周二至周日 09:00–18:00"),
    "public_room": Schedule(EVERY_DAY, ((_t("08:00"), _t("20:00")),), "每日 08:00–20:00"),
    "showroom": Schedule(EVERY_DAY, ((_t("09:00"), _t("18:00")),), "每日 09:00–18:00"),
}

STATUS_TEXT: dict[str, str] = {
    "planned": "规划中，尚未开放",
    "under_construction": "在建，尚未开放",
    "suspended": "暂停服务",
    "closed": "已停止服务",
}
