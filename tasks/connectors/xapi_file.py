"""An LRS export as a file: xAPI statements as JSON, for a learning platform without an LRS
endpoint (and the demo). `ARSHJUL_XAPI_URL=file:///path/statements.json`.

The file is a JSON array of statements, a StatementResult (`{"statements": [...]}`) or one
statement per line (JSON Lines). The same rules as the LRS query apply: verb completed or
passed, the course's activity id as the statement's object, stored or timestamped since the
campaign started.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from pydantic import ValidationError

from models.errors import InputError
from models.i18n import _
from tasks.connectors.xapi import VERBS, Completion, Statement, _completion


def is_file_url(url: str) -> bool:
    return url.startswith("file:")


def path_of(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def read_completions(url: str, activity_id: str, since: datetime) -> list[Completion]:
    """Completions of `activity_id` since `since` in the statements file at `url`."""
    path = path_of(url)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError("ARSHJUL_XAPI_URL: " + _("kan inte läsa {path}: {error}", path=path,
                                                   error=exc.strerror or exc)) from exc
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    out = []
    for raw in _statements(text, path):
        if not isinstance(raw, dict) or (raw.get("object") or {}).get("id") != activity_id:
            continue
        try:
            statement = Statement.model_validate(raw)
        except ValidationError as exc:
            raise InputError(f"{path.name}: " + _("inget xAPI-uttalande ({error})",
                                                  error=exc.errors()[0]["msg"])) from exc
        when = statement.stored or statement.timestamp
        if statement.verb.id in VERBS.values() and (when is None or _utc(when) >= since):
            out.append(_completion(statement))
    return out


def _statements(text: str, path: Path) -> list:
    try:
        data = json.loads(text) if text.strip() else []
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name}:{exc.lineno}: " + _("ingen JSON")) from exc
    return data.get("statements", []) if isinstance(data, dict) else data


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
