"""The one logging filter on Prefect's handlers (tasks.log_filter): what a flow's error writes to
Prefect's logs keeps ids and counts and loses parameter lists, DETAIL lines and addresses."""

from __future__ import annotations

import logging

import tasks  # noqa: F401 - installs the filter
from tasks.log_filter import PersonalDataFilter

ERROR = (
    "(psycopg.errors.UniqueViolation) duplicate key value violates unique constraint "
    '"person_email"\n'
    "DETAIL:  Key (email)=(anna.berg@example.se) already exists.\n"
    "[SQL: INSERT INTO person (id, name, email) VALUES (%(id)s, %(name)s, %(email)s)]\n"
    "[parameters: {'id': 'anna-berg', 'name': 'Anna Berg', 'email': 'anna.berg@example.se'}]"
)


def test_every_prefect_run_log_handler_has_the_filter():
    import prefect.main  # noqa: F401 - Prefect configures its handlers (after `tasks` here)

    for name in ("prefect.flow_runs", "prefect.task_runs"):
        handlers = logging.getLogger(name).handlers
        assert handlers
        for handler in handlers:
            assert any(isinstance(f, PersonalDataFilter) for f in handler.filters), handler


def test_a_failed_task_s_record_keeps_the_error_and_loses_the_personal_data():
    try:
        raise RuntimeError(ERROR)
    except RuntimeError:
        record = logging.LogRecord("prefect.task_runs", logging.ERROR, __file__, 1,
                                   "Task run %s failed: %s", ("store_response-1", ERROR), None)
        import sys

        record.exc_info = sys.exc_info()
    assert PersonalDataFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "store_response-1" in text and "UniqueViolation" in text and "[SQL: INSERT" in text
    for secret in ("anna.berg@example.se", "Anna Berg", "'anna-berg'"):
        assert secret not in text
    assert "DETAIL: dold / hidden" in text and "[parameters: dolda / hidden]" in text


def test_the_filter_survives_prefect_configuring_its_logging_again():
    from prefect.logging.configuration import setup_logging

    setup_logging(incremental=False)  # what a worker process does on start
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            assert any(isinstance(f, PersonalDataFilter) for f in handler.filters), handler
