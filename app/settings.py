"""Service settings: one pydantic-settings class, read from the environment (prefix YLYX_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/yilao"


class Settings(BaseSettings):
    """Every number a deployment may set differently; defaults suit the sample city."""

    model_config = SettingsConfigDict(env_prefix="YLYX_", extra="forbid", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL of the PostGIS database (asyncpg driver).",
    )
    replica_database_url: str | None = Field(
        None,
        description="A read replica for public reads (same driver); writes and staff reads stay on DATABASE_URL.",
    )
    db_pool_size: int = Field(
        20, ge=1, le=200, description="Connections kept in the pool (≥ expected concurrency)."
    )
    db_pool_overflow: int = Field(
        5, ge=0, le=200, description="Extra connections opened under bursts, closed after use."
    )
    db_statement_timeout_ms: int = Field(
        5000, ge=100, description="Server-side statement timeout for API queries."
    )
    nearby_default_radius_m: int = Field(
        3000, ge=1, description="Radius of a nearby search when the caller gives none."
    )
    nearby_max_radius_m: int = Field(
        50000, ge=1, description="Largest radius a nearby search accepts."
    )
    page_default_limit: int = Field(20, ge=1, description="Results per page by default.")
    page_max_limit: int = Field(100, ge=1, description="Largest page a caller may ask for.")
    search_max_query_chars: int = Field(50, ge=2, description="Longest text-search query accepted.")
    cache_max_age_s: int = Field(
        60, ge=0, description="Cache-Control max-age of public GET answers (they carry ETags)."
    )
    cache_version_ttl_s: float = Field(
        1.0,
        ge=0,
        description="Seconds the data version behind ETags is reused; a 304 may lag a commit by this.",
    )
    max_body_bytes: int = Field(
        1_048_576,
        ge=1024,
        description="Largest request body accepted (413 beyond; routes for file imports set their own).",
    )
    metrics_enabled: bool = Field(
        True, description="Serve Prometheus metrics at /metrics (keep it behind the proxy)."
    )
    log_format: Literal["json", "text"] = Field(
        "json",
        description="json: one object a line with its request id (for log shippers); "
        "text: uvicorn's plain lines.",
    )
    config_dir: Path = Field(
        Path(__file__).resolve().parents[1] / "seed",
        description=(
            "Folder of walk_profiles.toml, service_circles.toml and targets/ (per-city rules)."
        ),
    )
    walk_max_snap_m: float = Field(
        300.0, gt=0, description="A point farther than this from any road is 'too far' to snap."
    )
    walk_max_search_minutes: float = Field(
        60.0, gt=0, description="How far a coverage answer looks for the nearest facility."
    )
    walk_max_contour_minutes: float = Field(
        60.0, gt=0, description="Largest reach contour a caller may ask for."
    )
    walk_sort_max_candidates: int = Field(
        500, ge=1, description="Most nearby results that sort=walk_minutes will rank."
    )
    fuzzy_default_accuracy_m: int = Field(
        3000,
        ge=100,
        description="Uncertainty radius assumed for fuzzy=true (wx.getFuzzyLocation documents none).",
    )
    fuzzy_max_accuracy_m: int = Field(
        10000, ge=100, description="Largest accuracy_m a nearby or coverage question accepts."
    )
    area_max_samples: int = Field(
        40,
        ge=1,
        le=400,
        description="Most places at which a 街道/社区's walking coverage is checked.",
    )
    reach_max_facilities: int = Field(
        2000, ge=1, description="Most facilities one multi-facility reach may union."
    )
    analysis_max_concurrent: int = Field(
        2, ge=1, le=32, description="Analyses computed at once in worker threads; more wait."
    )
    analysis_max_pieces: int = Field(
        20000,
        ge=1,
        description="Most populated hexagon pieces one coverage, hole or site analysis may span.",
    )
    analysis_max_holes: int = Field(500, ge=1, description="Most holes one answer may list.")
    suggest_max_k: int = Field(20, ge=1, description="Most new sites one suggestion may ask for.")
    suggest_max_candidates: int = Field(
        1000, ge=1, description="Candidate sites a suggestion weighs (most populous holes first)."
    )
    suggest_exact_max_candidates: int = Field(
        400,
        ge=0,
        description="Up to this many candidates the MCLP is solved exactly; above it, greedily.",
    )
    suggest_time_limit_s: float = Field(
        20.0, gt=0, description="Time limit of the exact MCLP solver (HiGHS), seconds."
    )
    staff_token_ttl_s: int = Field(
        8 * 3600, ge=60, description="Lifetime of a staff sign-in token, seconds."
    )
    vacancy_max_age_days: int = Field(
        30, ge=1, description="A vacancy reported longer ago than this is shown as unknown."
    )
    import_max_bytes: int = Field(
        20_000_000, ge=1000, description="Largest file a bulk import accepts, bytes."
    )
    geocoder_provider: str = Field(
        "", description="Geocoder for imported rows without coordinates: amap, tencent or none."
    )
    geocoder_key: str = Field("", description="API key of the geocoder.")
    geocoder_daily_quota: int = Field(
        5000, ge=0, description="Most geocoder calls per day (cached addresses are free)."
    )
    geocoder_timeout_s: float = Field(5.0, gt=0, description="Timeout of one geocoder call.")
    timezone: str = Field(
        "Asia/Shanghai",
        description="Local time zone for opening hours (open now) and the default date of "
        "policy questions.",
    )
    cursor_secret: str = Field(
        "change-me-in-production",
        description="Key that signs pagination cursors so clients cannot forge them.",
    )

    rate_limits_enabled: bool = Field(
        True, description="Check API keys and enforce rate limits (off only for benchmarks)."
    )
    api_key_cache_ttl_s: float = Field(
        30.0,
        ge=0,
        description="Seconds a key's policy is cached; a revocation elsewhere is seen within it.",
    )
    anonymous_rate_per_minute: int = Field(
        60000,
        ge=1,
        description="Requests a minute shared by all callers without an API key (a safety valve).",
    )
    anonymous_burst: int = Field(
        2000, ge=1, description="Requests anonymous callers may send at once before limiting."
    )
    default_key_rate_per_minute: int = Field(
        600, ge=1, description="Rate of a new API key when the admin gives none."
    )

    wechat_appid: str = Field(
        "wx0000000000000000", description="AppID of the city's WeChat mini-program."
    )
    wechat_secret: SecretStr = Field(
        SecretStr("change-me"),
        description="AppSecret of the mini-program; sent only to WeChat, never logged.",
    )
    wechat_api_base: str = Field(
        "https://api.weixin.qq.com", description="Base URL of WeChat's server API (code2Session)."
    )
    openid_salt: str = Field(
        "change-me-in-production",
        description="Key under which residents' openids are stored as HMACs, never in clear.",
    )
    resident_session_ttl_s: int = Field(
        30 * 24 * 3600, ge=60, description="Lifetime of a resident's session token, seconds."
    )

    webhook_worker_enabled: bool = Field(
        True,
        description="Deliver webhooks from each API process (or run `python -m app.cli "
        "deliver-webhooks`); workers never send the same batch twice.",
    )
    webhook_interval_s: float = Field(
        2.0, gt=0, description="Seconds the delivery worker waits when nothing is due."
    )
    webhook_batch_size: int = Field(
        100, ge=1, le=1000, description="Most facility changes in one webhook delivery."
    )
    webhook_max_attempts: int = Field(
        8, ge=1, le=100, description="Tries of one delivery before the webhook is marked failing."
    )
    webhook_backoff_base_s: float = Field(
        30.0, ge=0, description="Wait after a delivery's first failed try; doubles each try."
    )
    webhook_backoff_max_s: float = Field(
        3600.0, ge=0, description="Longest wait between tries (also caps a receiver's Retry-After)."
    )
    webhook_connect_timeout_s: float = Field(
        3.0, gt=0, description="Timeout of connecting to a webhook receiver."
    )
    webhook_timeout_s: float = Field(
        10.0, gt=0, description="Timeout of a whole webhook delivery, from DNS to the last byte."
    )
    webhook_dns_timeout_s: float = Field(
        3.0, gt=0, description="Timeout of resolving a webhook's host."
    )
    webhook_max_response_bytes: int = Field(
        4096,
        ge=0,
        description="Most bytes of a receiver's answer that are read (the rest is dropped).",
    )
    webhook_max_per_key: int = Field(
        5, ge=1, description="Most webhooks one API key (or one city) may have."
    )
    webhook_delivery_retention_days: int = Field(
        14, ge=1, description="Days a delivered batch is kept for inspection."
    )
    webhook_secret_overlap_s: int = Field(
        86400,
        ge=0,
        description="Seconds a rotated-out signing secret still signs deliveries, beside the new one.",
    )
    webhook_allow_private: bool = Field(
        False,
        description="Allow webhooks to private and loopback addresses (tests, closed networks only).",
    )
    webhook_secret_key: SecretStr = Field(
        SecretStr("change-me-in-production"),
        description="Key from which each webhook's signing secret is derived; the database "
        "keeps only a salt. Changing it changes every secret.",
    )

    @field_validator("database_url", "replica_database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        if value and (value.startswith("postgresql://") or value.startswith("postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    @field_validator("geocoder_provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        if value not in ("", "amap", "tencent"):
            raise ValueError("geocoder_provider must be amap, tencent or empty")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def sync_database_url(self) -> str:
        """The same database for synchronous tools (alembic, seed loader): psycopg 3."""
        return self.database_url.replace("+asyncpg", "+psycopg", 1)


def env_name(name: str) -> str:
    """The environment variable of a Settings field."""
    alias = Settings.model_fields[name].validation_alias
    return alias if isinstance(alias, str) else f"YLYX_{name.upper()}"


class SettingsError(SystemExit):
    """Start-up refused: which variables are wrong and why, one per line."""


def load_settings() -> Settings:
    """Settings from the environment, or a SettingsError naming each bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False):
            field = str(err["loc"][0]) if err["loc"] else "?"
            variable = env_name(field) if field in Settings.model_fields else field
            lines.append(f"  {variable}: {err['msg']} (got {err.get('input')!r})")
        raise SettingsError("invalid settings:\n" + "\n".join(lines)) from None


def markdown_table() -> str:
    """The README's configuration table, generated from the fields above."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "seed/ (in this repository)" if name == "config_dir" else field.default
        rows.append(f"| `{env_name(name)}` | `{default}` | {field.description} |")
    return "\n".join(rows)
