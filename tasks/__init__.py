"""Prefect tasks: one side effect each.

Importing the package puts the personal-data filter on Prefect's log handlers (tasks.log_filter):
every flow imports its tasks from here, so every flow run's logs pass through it. Prefect is
imported first because it configures those handlers on import.
"""

import prefect.main  # noqa: F401 - configures the log handlers the filter is put on

from tasks.log_filter import install as _install_log_filter

_install_log_filter()
