"""纠错 reports: what a resident can say is wrong about a facility, and a report's states."""

from __future__ import annotations

from enum import StrEnum


class ReportKind(StrEnum):
    closed = "closed"  # 已关闭/停业
    phone_wrong = "phone_wrong"  # 电话错误
    address_wrong = "address_wrong"  # 地址错误
    hours_wrong = "hours_wrong"  # 营业时间错误
    price_wrong = "price_wrong"  # 价格错误
    other = "other"


class ReportStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    resolved = "resolved"
    rejected = "rejected"


MAX_NOTE_CHARS = 500
