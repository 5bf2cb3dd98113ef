"""Tables. One CRS at rest: WGS-84 (SRID 4326); money in integer fen."""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geography, Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _of_facility(table: str) -> ForeignKeyConstraint:
    """A child's reference to its facility, by the facility's whole key (id, city)."""
    return ForeignKeyConstraint(
        ["facility_id", "city_code"],
        ["facility.id", "facility.city_code"],
        ondelete="CASCADE",
        name=f"{table}_facility_fkey",
    )


class Base(DeclarativeBase):
    pass


class Region(Base):
    """An administrative unit: 市, 县/区, 街道/乡镇 or 社区/村, with its 2020 census figures."""

    __tablename__ = "region"
    __table_args__ = (
        CheckConstraint("level IN ('city','county','township','community')", name="region_level"),
        CheckConstraint(
            "urban_rural IS NULL OR urban_rural IN ('urban','rural')", name="region_ur"
        ),
        Index("region_boundary_gix", "boundary", postgresql_using="gist"),
        Index("region_parent_ix", "parent_code"),
    )

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(10))
    unit_type: Mapped[str | None] = mapped_column(Text, comment="街道, 镇, 乡, 区, 县 …")
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    city_code: Mapped[str] = mapped_column(String(12))
    boundary = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=True
    )
    boundary_source: Mapped[str | None] = mapped_column(Text)
    seat = mapped_column(Geography("POINT", srid=4326, spatial_index=False), nullable=True)
    urban_rural: Mapped[str | None] = mapped_column(String(5))
    pop_total: Mapped[int | None] = mapped_column(Integer)
    pop_60p: Mapped[int | None] = mapped_column(Integer)
    pop_65p: Mapped[int | None] = mapped_column(Integer)
    pop_0_3: Mapped[int | None] = mapped_column(Integer)
    pop_source: Mapped[str | None] = mapped_column(Text)


class Facility(Base):
    """A care site. `public_id` is the stable identifier callers see; `id` never leaves.
    Keys carry city_code so the registry can be sharded by city (app/db/distribution.py)."""

    __tablename__ = "facility"
    __table_args__ = (
        PrimaryKeyConstraint("id", "city_code", name="facility_pkey"),
        UniqueConstraint("public_id", "city_code", name="facility_public_id_key"),
        CheckConstraint(
            "status IN ('open','suspended','planned','under_construction','closed')",
            name="facility_status",
        ),
        CheckConstraint("cardinality(kinds) >= 1", name="facility_has_kind"),
        CheckConstraint(
            "nursing_beds IS NULL OR beds IS NULL OR nursing_beds <= beds",
            name="facility_nursing_beds",
        ),
        CheckConstraint(
            "child_min_age_months IS NULL OR child_max_age_months IS NULL "
            "OR child_min_age_months <= child_max_age_months",
            name="facility_child_age",
        ),
        Index("facility_location_gix", "location", postgresql_using="gist"),
        Index("facility_kinds_gin", "kinds", postgresql_using="gin"),
        Index("facility_services_gin", "services", postgresql_using="gin"),
        Index("facility_search_gin", "search_tokens", postgresql_using="gin"),
        Index("facility_township_ix", "township_code"),
        Index("facility_county_ix", "county_code"),
        Index(
            "facility_registration_ix",
            "registration_no",
            postgresql_where="registration_no IS NOT NULL",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    public_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    kinds: Mapped[list[str]] = mapped_column(ARRAY(Text))
    services: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    operator_name: Mapped[str | None] = mapped_column(Text)
    ownership: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    location = mapped_column(Geography("POINT", srid=4326, spatial_index=False), nullable=False)
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    county_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    township_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    community_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    phone: Mapped[str | None] = mapped_column(Text)
    opening_hours_text: Mapped[str | None] = mapped_column(Text)
    open_24h: Mapped[bool] = mapped_column(Boolean, server_default="false")
    beds: Mapped[int | None] = mapped_column(Integer)
    nursing_beds: Mapped[int | None] = mapped_column(Integer, comment="护理型床位")
    childcare_places: Mapped[int | None] = mapped_column(Integer, comment="托位")
    meals_per_day: Mapped[int | None] = mapped_column(Integer)
    vacant_beds: Mapped[int | None] = mapped_column(Integer)
    vacant_childcare_places: Mapped[int | None] = mapped_column(Integer)
    vacancy_reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    puhui: Mapped[bool] = mapped_column(Boolean, server_default="false", comment="普惠")
    puhui_source: Mapped[str | None] = mapped_column(Text)
    puhui_certified_on: Mapped[date | None] = mapped_column(Date)
    elder_min_age_years: Mapped[int | None] = mapped_column(SmallInteger)
    child_min_age_months: Mapped[int | None] = mapped_column(SmallInteger)
    child_max_age_months: Mapped[int | None] = mapped_column(SmallInteger)
    accessibility: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    grade_scale: Mapped[str | None] = mapped_column(Text, comment="star (达州) or level (资阳)")
    grade_value: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    data_source: Mapped[str] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, server_default="false")
    last_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    search_tokens = mapped_column(TSVECTOR, nullable=False)
    extra: Mapped[dict[str, object]] = mapped_column(JSONB, server_default="{}")
    registration_no: Mapped[str | None] = mapped_column(Text, comment="备案 number")
    photo_urls: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    version: Mapped[int] = mapped_column(
        Integer, server_default="1", comment="bumped by every write; the staff ETag"
    )
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    prices: Mapped[list[FacilityPrice]] = relationship(back_populates="facility")
    hours: Mapped[list[FacilityHours]] = relationship(back_populates="facility")


class FacilityPrice(Base):
    """A listed price: integer fen for one unit (per month, day, meal …)."""

    __tablename__ = "facility_price"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="price_nonnegative"),
        CheckConstraint("unit IN ('month','day','meal','hour','once')", name="price_unit"),
        PrimaryKeyConstraint("id", "city_code", name="facility_price_pkey"),
        _of_facility("facility_price"),
        Index("ix_facility_price_facility_id", "facility_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")
    item: Mapped[str] = mapped_column(Text, comment="e.g. 床位费（护理型）, 午餐, 全日托")
    amount_fen: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(8))
    puhui: Mapped[bool] = mapped_column(Boolean, server_default="false")

    facility: Mapped[Facility] = relationship(back_populates="prices")


class FacilityHours(Base):
    """Weekly opening hours in local time; weekday 1 = Monday … 7 = Sunday (ISO)."""

    __tablename__ = "facility_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 1 AND 7", name="hours_weekday"),
        CheckConstraint("opens < closes", name="hours_order"),
        Index("facility_hours_day_ix", "facility_id", "weekday"),
        PrimaryKeyConstraint("id", "city_code", name="facility_hours_pkey"),
        _of_facility("facility_hours"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens = mapped_column(Time, nullable=False)
    closes = mapped_column(Time, nullable=False)

    facility: Mapped[Facility] = relationship(back_populates="hours")


class WalkNode(Base):
    """A node of a city's walking network (street junction or dead end)."""

    __tablename__ = "walk_node"

    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    node_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=False)


class WalkEdge(Base):
    """An undirected walkable segment; `length_m` along its geometry."""

    __tablename__ = "walk_edge"
    __table_args__ = (
        CheckConstraint("length_m >= 0", name="walk_edge_length"),
        Index("walk_edge_geom_gix", "geom", postgresql_using="gist"),
        PrimaryKeyConstraint("city_code", "id", name="walk_edge_pkey"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    u: Mapped[int] = mapped_column(BigInteger)
    v: Mapped[int] = mapped_column(BigInteger)
    length_m: Mapped[float] = mapped_column(Float)
    steps: Mapped[bool] = mapped_column(Boolean, server_default="false")
    kind: Mapped[str] = mapped_column(Text, comment="street, bridge, lane, path …")
    name: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    geom = mapped_column(Geometry("LINESTRING", srid=4326, spatial_index=False), nullable=False)


class MapFeature(Base):
    """Context layers that explain walking times (rivers), with their source."""

    __tablename__ = "map_feature"
    __table_args__ = (PrimaryKeyConstraint("city_code", "id", name="map_feature_pkey"),)

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    kind: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    geom = mapped_column(Geometry(srid=4326, spatial_index=False), nullable=False)


class StaffAccount(Base):
    """A member of staff who keeps the registry true; scope depends on the role."""

    __tablename__ = "staff_account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('city_admin','district_admin','facility_operator','auditor')",
            name="staff_role",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(Text, unique=True)
    password_hash: Mapped[str] = mapped_column(Text, comment="scrypt$n$r$p$salt$hash")
    role: Mapped[str] = mapped_column(String(20))
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    region_code: Mapped[str | None] = mapped_column(
        ForeignKey("region.code"), comment="district admins: their 县/区 or 街道"
    )
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StaffToken(Base):
    """An opaque bearer token, stored only as its SHA-256."""

    __tablename__ = "staff_token"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AuditEvent(Base):
    """Who did what, when, with the state before and after. Append-only (a trigger refuses
    UPDATE, DELETE and TRUNCATE)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("audit_event_object_ix", "object_type", "object_id"),
        PrimaryKeyConstraint("id", "city_code", name="audit_event_pkey"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    city_code: Mapped[str] = mapped_column(
        String(12), comment="the city whose registry the event concerns; empty if unknown"
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_role: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    object_type: Mapped[str] = mapped_column(Text)
    object_id: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, object] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, object] | None] = mapped_column(JSONB)


class ApiKey(Base):
    """A third-party app's key, stored only as its SHA-256, with scopes and a rate."""

    __tablename__ = "api_key"
    __table_args__ = (
        CheckConstraint("rate_per_minute > 0 AND burst > 0", name="api_key_positive_rate"),
        CheckConstraint(
            "cardinality(scopes) >= 1 AND scopes <@ ARRAY['read','analysis','write']::text[]",
            name="api_key_scopes",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(
        String(16), comment="first characters, to recognise a key"
    )
    name: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text, comment="the organisation the key was issued to")
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    rate_per_minute: Mapped[int] = mapped_column(Integer)
    burst: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FacilityChange(Base):
    """The changes feed, compacted: each facility once, with the number of its latest change.

    Written only by triggers on facility (migrations 0004_api_keys, 0006_city_keys); numbers
    come from the city's row of `change_counter`, locked until commit, so they become
    visible in order.
    """

    __tablename__ = "facility_change"
    __table_args__ = (
        PrimaryKeyConstraint("public_id", "city_code", name="facility_change_pkey"),
        UniqueConstraint("seq", "city_code", name="facility_change_seq_key"),
    )

    public_id: Mapped[str] = mapped_column(String(32))
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's; empty if unknown")
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Webhook(Base):
    """A URL an admin registered for an API key (or the city), with its feed cursor; the
    signing secret is derived from YLYX_WEBHOOK_SECRET_KEY and `secret_salt`."""

    __tablename__ = "webhook"
    __table_args__ = (
        CheckConstraint(
            "cardinality(events) >= 1 AND events <@ "
            "ARRAY['facility.upserted','facility.deleted']::text[]",
            name="webhook_events",
        ),
        Index("webhook_city_ix", "city_code"),
        Index("webhook_api_key_ix", "api_key_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_key.id", ondelete="CASCADE"), comment="NULL: the city's own"
    )
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(ARRAY(Text))
    description: Mapped[str] = mapped_column(Text, server_default="")
    secret_salt: Mapped[bytes] = mapped_column(LargeBinary)
    secret_prefix: Mapped[str] = mapped_column(String(16))
    previous_secret_salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_until: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), comment="a rotated-out secret also signs until then"
    )
    cursor: Mapped[int] = mapped_column(BigInteger, comment="last feed seq delivered")
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WebhookDelivery(Base):
    """One batch of changes for a webhook, stored before it is sent and re-sent with the
    same id and body until accepted; at most one is undelivered per webhook."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending','delivered','failed')", name="webhook_delivery_status"
        ),
        Index(
            "webhook_delivery_one_open",
            "webhook_id",
            unique=True,
            postgresql_where="status <> 'delivered'",
        ),
        Index("webhook_delivery_webhook_ix", "webhook_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"))
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    event_count: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Resident(Base):
    """A mini-program user, known only by a hash of their WeChat openid."""

    __tablename__ = "resident"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    openid_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ResidentSession(Base):
    """The service's own opaque session token for a resident, stored only as SHA-256."""

    __tablename__ = "resident_session"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WechatLoginCode(Base):
    """Login codes already exchanged (hashed): a replayed code is refused here first."""

    __tablename__ = "wechat_login_code"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Favourite(Base):
    __tablename__ = "favourite"
    __table_args__ = (
        PrimaryKeyConstraint("resident_id", "facility_id", "city_code", name="favourite_pkey"),
        _of_facility("favourite"),
    )

    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FacilityReport(Base):
    """A 纠错 report ("this 助餐点 has closed"): a queue item for the facility's operators.
    Deleting the resident keeps the report but drops the link to them."""

    __tablename__ = "facility_report"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('closed','phone_wrong','address_wrong','hours_wrong','price_wrong','other')",
            name="facility_report_kind",
        ),
        CheckConstraint(
            "status IN ('open','in_progress','resolved','rejected')", name="facility_report_status"
        ),
        Index("facility_report_queue_ix", "status", "facility_id"),
        Index("facility_report_resident_ix", "resident_id"),
        PrimaryKeyConstraint("id", "city_code", name="facility_report_pkey"),
        _of_facility("facility_report"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StaffFacility(Base):
    """The facilities a facility operator answers for."""

    __tablename__ = "staff_facility"
    __table_args__ = (
        PrimaryKeyConstraint("staff_id", "facility_id", "city_code", name="staff_facility_pkey"),
        _of_facility("staff_facility"),
    )

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id", ondelete="CASCADE"))
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")


class VacancyReport(Base):
    """Every vacancy report kept; the facility row holds only the latest."""

    __tablename__ = "vacancy_report"
    __table_args__ = (
        Index("vacancy_report_facility_ix", "facility_id", "reported_at"),
        PrimaryKeyConstraint("id", "city_code", name="vacancy_report_pkey"),
        _of_facility("vacancy_report"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")
    vacant_beds: Mapped[int | None] = mapped_column(Integer)
    vacant_childcare_places: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)


class PriceHistory(Base):
    """Every price list a facility has published, whole, from `valid_from`."""

    __tablename__ = "price_history"
    __table_args__ = (
        Index("price_history_facility_ix", "facility_id", "valid_from"),
        PrimaryKeyConstraint("id", "city_code", name="price_history_pkey"),
        _of_facility("price_history"),
    )

    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(BigInteger)
    city_code: Mapped[str] = mapped_column(String(12), comment="the facility's")
    prices: Mapped[list[dict[str, object]]] = mapped_column(JSONB)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(BigInteger)


class ImportBatch(Base):
    """One committed import; its rows, facilities and audit events commit with it."""

    __tablename__ = "import_batch"
    __table_args__ = (Index("import_batch_file_ix", "city_code", "file_sha256", unique=True),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str | None] = mapped_column(Text, unique=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(10))
    coordsys: Mapped[str] = mapped_column(String(8))
    rows_total: Mapped[int] = mapped_column(Integer)
    rows_added: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, object]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GeocodeCache(Base):
    """Addresses a geocoder has answered, in WGS-84, so each is asked once."""

    __tablename__ = "geocode_cache"

    provider: Mapped[str] = mapped_column(Text, primary_key=True)
    address: Mapped[str] = mapped_column(Text, primary_key=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GeocodeUsage(Base):
    """Calls made to a geocoder per day, checked against its quota."""

    __tablename__ = "geocode_usage"

    provider: Mapped[str] = mapped_column(Text, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, server_default="0")


class PolicyRuleset(Base):
    """One published version of a city's rule file, verbatim with its SHA-256. Versions are
    never changed or deleted (a trigger refuses UPDATE, DELETE and TRUNCATE)."""

    __tablename__ = "policy_ruleset"
    __table_args__ = (
        CheckConstraint("published_via IN ('seed','api')", name="policy_ruleset_via"),
        CheckConstraint("version_number >= 1", name="policy_ruleset_number"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="policy_ruleset_dates"
        ),
        UniqueConstraint("city_code", "effective_from", name="policy_ruleset_city_start_key"),
        UniqueConstraint("city_code", "version_label", name="policy_ruleset_city_label_key"),
        UniqueConstraint("city_code", "version_number", name="policy_ruleset_city_number_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    city_code: Mapped[str] = mapped_column(String(12))
    city_name_zh: Mapped[str] = mapped_column(Text)
    version_number: Mapped[int] = mapped_column(
        Integer, comment="1, 2, … per city, in order of publication"
    )
    version_label: Mapped[str] = mapped_column(Text, comment="the `version` the rule file gives")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(Text)
    rule_text: Mapped[str] = mapped_column(Text, comment="the TOML rule file, verbatim")
    content_sha256: Mapped[str] = mapped_column(String(64), comment="SHA-256 of rule_text as UTF-8")
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id"), comment="staff account; NULL for the shipped seed files"
    )
    published_via: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
