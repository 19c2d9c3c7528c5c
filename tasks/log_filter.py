"""One logging filter for every flow: what reaches Prefect's logs carries ids and counts only.

The store's engines already hide SQL parameters (models.db), but an error's text can still name
people: PostgreSQL's `DETAIL: Key (email)=(…) already exists`, an SMTP server's
`550 <anna.berg@example.se>: Recipient address rejected`, a parameter list from a driver. Before a
record reaches any handler of Prefect's loggers (the API handler writes Prefect's log table, the
console handler a worker's journal), its message and traceback are rewritten: parameter lists and
DETAIL lines are dropped and e-mail addresses replaced. Installed when `tasks` is imported, which
every flow does, and again after every `logging.config.dictConfig` (Prefect configures its
handlers with it, on its own import or later); `install` is idempotent.
"""

from __future__ import annotations

import logging
import logging.config
import re

_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_DETAIL = re.compile(r"^(\s*)DETAIL:[^\n]*", re.MULTILINE)
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_LOGGERS = ("prefect", "prefect.extra", "prefect.flow_runs", "prefect.task_runs",
            "prefect.workers", "")


def scrub(text: str) -> str:
    """`text` without SQL parameter lists, DETAIL lines and e-mail addresses."""
    text = _PARAMETERS.sub("[parameters: dolda / hidden]", text)
    text = _DETAIL.sub(r"\1DETAIL: dold / hidden", text)
    return _EMAIL.sub("<e-post>", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites a record's message and traceback with `scrub` (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        if record.exc_info:
            trace = logging.Formatter().formatException(record.exc_info)
            message = f"{message}\n{scrub(trace)}"
            record.exc_info = None
        elif record.exc_text:
            message = f"{message}\n{scrub(record.exc_text)}"
        record.msg, record.args, record.exc_text = message, (), None
        return True


def install() -> None:
    """Put the filter on every handler of Prefect's loggers and the root logger."""
    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())


def install_now_and_after_logging_setup() -> None:
    """`install` now, and after each `logging.config.dictConfig` from here on."""
    install()
    configure = logging.config.dictConfig
    if getattr(configure, "installs_personal_data_filter", False):
        return

    def dict_config(config) -> None:
        configure(config)
        install()

    dict_config.installs_personal_data_filter = True  # type: ignore[attr-defined]
    logging.config.dictConfig = dict_config
