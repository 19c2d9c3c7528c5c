"""Every setting is documented in docs/configuration.md, and settings are read from the environment."""

from pydantic import SecretStr

from models.settings import ROOT, Settings, get_settings


def test_every_setting_is_in_the_configuration_doc():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`ARSHJUL_{n.upper()}`" not in doc]
    assert missing == []


def test_settings_come_from_arshjul_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ARSHJUL_SEND_HOUR", "9")
    monkeypatch.setenv("ARSHJUL_SMTP_URL", "smtp://user:pw@127.0.0.1:2525")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.send_hour == 9
    assert isinstance(settings.smtp_url, SecretStr) and "pw" not in repr(settings)
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("/home/arshjul.db")
