"""Where Prefect's API is, found without importing Prefect (which costs seconds on a busy machine).

In order: `PREFECT_API_URL` (the environment, else the active Prefect profile), then the address
that a running `arshjul serve` for this store wrote into the store's home. No address means no
Prefect server: a command then runs its flow in-process and says that the run is not in the UI.
Never Prefect's temporary ("ephemeral") server.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tomllib
from pathlib import Path

#: The file `arshjul serve` writes into ARSHJUL_HOME while it runs.
SERVE_FILE = "serve.json"


def _profile() -> dict[str, str]:
    """The settings of Prefect's active profile (PREFECT_PROFILE or the file's `active`)."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    active = os.environ.get("PREFECT_PROFILE") or data.get("active", "")
    profile = data.get("profiles", {}).get(active, {})
    return {str(k): str(v) for k, v in profile.items()} if isinstance(profile, dict) else {}


def prefect_setting(name: str) -> str:
    """A Prefect setting from the environment, else from the active profile ("" when unset)."""
    if name in os.environ:
        return os.environ[name]
    return _profile().get(name, "")


def configured_api_url() -> str:
    """PREFECT_API_URL as Prefect itself would read it ("" when unset).

    Once Prefect is imported in this process its current settings decide (they may be a
    temporary override, as in tests); before, the environment and the profile do.
    """
    if "prefect.settings" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        return PREFECT_API_URL.value() or ""
    return prefect_setting("PREFECT_API_URL")


def auth_headers() -> dict[str, str]:
    """The Authorization header for Prefect's API (basic auth string or API key), if any."""
    if auth := prefect_setting("PREFECT_API_AUTH_STRING"):
        return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}
    if key := prefect_setting("PREFECT_API_KEY"):
        return {"Authorization": f"Bearer {key}"}
    return {}


def serve_file(home: Path) -> Path:
    """Where `arshjul serve` for the store under `home` writes its Prefect address."""
    return home / SERVE_FILE


def write_serve_address(home: Path, api_url: str, store: str) -> Path:
    """Tell commands run later for this store where serve's Prefect API is."""
    path = serve_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"api_url": api_url, "store": store, "pid": os.getpid()}))
    os.replace(tmp, path)
    return path


def remove_serve_address(home: Path) -> None:
    """Forget serve's address (serve is stopping); only the file this process wrote."""
    path = serve_file(home)
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def serve_api_url(home: Path, store: str) -> str:
    """The API of the `arshjul serve` running for `store`, if one answers ("" otherwise)."""
    try:
        data = json.loads(serve_file(home).read_text())
    except (OSError, ValueError):
        return ""
    url = data.get("api_url", "") if isinstance(data, dict) else ""
    if not url or data.get("store") != store or not _alive(data.get("pid")):
        return ""
    return url if answers(url) else ""


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def answers(api_url: str, timeout: float = 3.0) -> bool:
    """True when Prefect's health endpoint at `api_url` says it is up."""
    import httpx

    try:
        response = httpx.get(f"{api_url.rstrip('/')}/health", headers=auth_headers(),
                             timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200
