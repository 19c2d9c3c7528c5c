"""Prefect tasks: one side effect each.

Importing the package puts the personal-data filter on Prefect's log handlers (tasks.log_filter):
every flow imports its tasks from here, so every flow run's logs pass through it — whether Prefect
configured its logging before this import or does so later (store-only commands that import a
task module never load Prefect at all).
"""

from tasks.log_filter import install_now_and_after_logging_setup

install_now_and_after_logging_setup()
