"""The signing key: the one check of ARSHJUL_SECRET_KEY behind every command and process that
signs or verifies links and form tokens (`tick`, `incident link`, `calendar`, the portal, workers).

Unset, the placeholder `change-me`, shorter than 32 bytes or of low entropy is an InputError
(`fel: ARSHJUL_SECRET_KEY: …`, exit code 2) — unless demo mode is on, where such a key is replaced
by a random one kept in `home/demo-secret-key`, so the demo's processes share it.
"""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from functools import lru_cache
from pathlib import Path

from models.errors import InputError
from models.i18n import _
from models.settings import DEFAULT_SECRET_KEY, Settings, get_settings

#: The least a signing key must have: bytes, and bits by its own character distribution
#: (secrets.token_hex(16), the weakest generator we advise, never scores below 92).
KEY_MIN_BYTES = 32
KEY_MIN_BITS = 80
_KEY_COMMAND = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def key_problem(key: str) -> str | None:
    """Why `key` is unfit to sign links (in the command line's language), or None."""
    verdict = _verdict(key)
    if verdict is None:
        return None
    advice = _("skapa en med `{command}`", command=_KEY_COMMAND)
    if verdict == "missing":
        return _("saknas eller har standardvärdet: {advice} "
                 "(eller ARSHJUL_DEMO_MODE=true för en demo)", advice=advice)
    if verdict == "short":
        return _("för kort: minst {n} byte behövs; {advice}", n=KEY_MIN_BYTES, advice=advice)
    return _("för förutsägbar (upprepade eller få olika tecken): {advice}", advice=advice)


@lru_cache(maxsize=4)
def _verdict(key: str) -> str | None:
    # Cached: every signed link and form checks the key, and the check counts characters.
    if key.strip() in ("", DEFAULT_SECRET_KEY):
        return "missing"
    if len(key.encode("utf-8")) < KEY_MIN_BYTES:
        return "short"
    if _entropy_bits(key) < KEY_MIN_BITS or key in (key + key)[1:-1]:
        return "predictable"
    return None


@lru_cache
def _demo_key(home: Path) -> str:
    """A random key kept in `home`, so the demo's processes (tick, portal workers) share it."""
    path = home / "demo-secret-key"
    try:
        if not path.exists():
            home.mkdir(parents=True, exist_ok=True)
            draft = home / f".demo-secret-key.{os.getpid()}"
            draft.write_text(secrets.token_urlsafe(32), encoding="ascii")
            try:
                os.link(draft, path)  # atomic: the first process's key wins
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return path.read_text(encoding="ascii").strip()
    except OSError:  # no writable home: this process's own key
        return secrets.token_urlsafe(32)


def _entropy_bits(key: str) -> float:
    """Bits of `key` by its own character frequencies (Shannon entropy times length)."""
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


def signing_key(settings: Settings | None = None) -> str:
    """The key that signs and verifies links (default: the configured settings).

    Raises:
        InputError: the key is unfit and demo mode is off (the message says why and what to do).
    """
    settings = settings or get_settings()
    key = settings.secret_key.get_secret_value() if settings.secret_key else ""
    problem = key_problem(key)
    if problem and settings.demo_mode:
        return _demo_key(settings.home.absolute())
    if problem:
        raise InputError(f"ARSHJUL_SECRET_KEY: {problem}")
    return key
