"""The one settings object, read from ARSHJUL_* environment variables and an optional .env."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The directory holding the packages: the checkout, or site-packages for a built wheel.
CODE_ROOT = Path(__file__).resolve().parent.parent
#: Where wheel/, templates/, examples/ and prefect.yaml live: beside the packages in a checkout
#: (and an editable install); under arshjul_data/ in a built wheel (pyproject's force-include),
#: since a top-level wheel/ in site-packages would shadow the `wheel` distribution.
ROOT = (
    CODE_ROOT
    if (CODE_ROOT / "wheel" / "default.yaml").is_file()
    else CODE_ROOT / "arshjul_data"
)

#: The times arshjul works with (models.clock): from the Unix epoch to well past any plan, and
#: far from datetime's own limits, so offsets and time zones never overflow.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
#: Placeholder key that is refused outside demo mode.
DEFAULT_SECRET_KEY = "change-me"
#: The one hard-coded timezone: Swedish municipalities. Everything else asks the organisation
#: (models.organisation) or the settings.
DEFAULT_TIMEZONE = "Europe/Stockholm"


class Settings(BaseSettings):
    """Everything arshjul can be configured with; see docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="ARSHJUL_", env_file=".env", extra="ignore")

    home: Path = Field(
        default=Path(".arshjul"),
        description="Directory for the embedded store, the outbox and the local Prefect home.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default a SQLite file under `home`. "
        "Production: postgresql+psycopg://user@host/db.",
    )
    now: datetime | None = Field(
        default=None, description="Clock override (ISO 8601) for tests, the demo and dry runs."
    )
    timezone: str = Field(
        default=DEFAULT_TIMEZONE,
        description="Timezone used when the organisation file names none.",
    )
    language: Literal["sv", "en"] = Field(
        default="sv",
        description="Language of the command line's own texts (errors, summaries): sv or en. "
        "Messages, the portal and the report follow the organisation's language.",
    )
    send_hour: int = Field(
        default=8,
        ge=0,
        le=23,
        description="Local hour from which messages go out on business days.",
    )
    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://user:password@host:port or smtps://…; "
        "unset means the outbox directory.",
    )
    mail_from: str = Field(
        default="arshjul@example.se",
        description='Sender of every message: an address or "Name <address>"; without a '
        "name the organisation's name is shown.",
    )
    outbox_dir: Path | None = Field(
        default=None,
        description="Where .eml files go when no SMTP is configured; default home/outbox.",
    )
    portal_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL of the response portal, put into links in messages.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs portal links and form tokens: at least 32 random bytes; every "
        "command and process that signs or verifies refuses a missing, default, short or "
        "low-entropy key outside demo mode.",
    )
    demo_mode: bool = Field(
        default=False,
        description="Demo: without a key of its own, each process makes a random one.",
    )
    link_days: int = Field(
        default=120,
        ge=1,
        le=3660,
        description="The least number of days a signed portal link stays valid (a link about a "
        "step lasts as long as the step can be answered); at most 3660 (ten years).",
    )
    portal_grace_days: int = Field(
        default=30,
        ge=0,
        description="Days after a step's due date during which answers can still be edited; "
        "after that the step is closed and the portal shows it read-only.",
    )
    portal_max_body: int = Field(
        default=256 * 1024,
        ge=1024,
        description="Largest request body (bytes) the portal accepts; larger ones get 413.",
    )

    # --- the coordinator's web view (docs/coordinator.md) ---
    signin_link_minutes: int = Field(
        default=15, ge=1, le=120, description="How long a mailed sign-in link stays valid."
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A signed-in session ends after this long without a request."
    )
    signin_limit: int = Field(
        default=5, ge=1,
        description="Sign-in links that may be asked for per address (and 4x per client "
        "address) within signin_link_minutes.",
    )
    oidc_issuer: str = Field(
        default="", description="OpenID Connect issuer URL (e.g. Entra ID's …/v2.0); empty: off."
    )
    oidc_client_id: str = Field(default="", description="OpenID Connect client id.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="OpenID Connect client secret."
    )

    # --- campaigns: the identity directory and the learning record store ---
    directory: str = Field(
        default="",
        description="Where campaign populations come from: graph, scim, csv, or empty for none.",
    )
    graph_tenant_id: str = Field(default="", description="Entra ID tenant of the Graph app.")
    graph_client_id: str = Field(default="", description="Application (client) id of the app.")
    graph_client_secret: SecretStr | None = Field(
        default=None, description="Client secret of the app (client-credentials grant)."
    )
    graph_url: str = Field(
        default="https://graph.microsoft.com", description="Microsoft Graph root URL."
    )
    graph_token_url: str | None = Field(
        default=None,
        description="Token endpoint; default login.microsoftonline.com/<tenant>/oauth2/v2.0/token.",
    )
    scim_url: str = Field(default="", description="SCIM 2.0 base URL (…/scim/v2).")
    scim_token: SecretStr | None = Field(default=None, description="SCIM bearer token.")
    directory_csv: Path | None = Field(
        default=None, description="CSV file of employees when directory=csv."
    )
    xapi_url: str = Field(
        default="", description="xAPI endpoint of the learning platform's LRS (…/xAPI/)."
    )
    xapi_username: str = Field(default="", description="LRS basic-auth user.")
    xapi_password: SecretStr | None = Field(default=None, description="LRS basic-auth password.")

    @field_validator("home")
    @classmethod
    def _home_is_a_directory(cls, home: Path) -> Path:
        for parent in (home, *home.absolute().parents):
            if parent.exists():
                if not parent.is_dir():  # Swedish: the language setting is not read yet
                    raise ValueError(f"{parent} är en fil, inte en katalog")
                break
        return home

    @field_validator("now")
    @classmethod
    def _now_in_range(cls, value: datetime | None) -> datetime | None:
        if value is not None and not EARLIEST.year <= value.year < LATEST.year:
            raise ValueError(f"ska ligga mellan {EARLIEST.year} och {LATEST.year - 1}")
        return value

    @property
    def resolved_database_url(self) -> str:
        """The store URL, defaulting to a SQLite file under `home`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'arshjul.db').resolve()}"

    @property
    def resolved_outbox_dir(self) -> Path:
        """Directory of the .eml outbox."""
        return self.outbox_dir or self.home / "outbox"


@lru_cache
def get_settings() -> Settings:
    """Return the cached settings; tests call `get_settings.cache_clear()` after changing env."""
    return Settings()
