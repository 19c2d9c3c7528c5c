"""Switching the command line's language in a test (ARSHJUL_LANGUAGE, settings re-read)."""

from __future__ import annotations

import pytest

from models.settings import get_settings


def use_language(monkeypatch: pytest.MonkeyPatch, language: str | None) -> None:
    """Set ARSHJUL_LANGUAGE (None: leave it unset) and make the settings read it again."""
    if language is not None:
        monkeypatch.setenv("ARSHJUL_LANGUAGE", language)
    get_settings.cache_clear()
