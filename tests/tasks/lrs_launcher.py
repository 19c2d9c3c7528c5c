"""Start Ralph's LRS (file-system backend) with two start-up patches; run by the LRS's OWN
virtualenv python (ralph-malph pins a FastAPI that conflicts with Prefect's), never imported.

Ralph 5.1's file-system LRS backend, as shipped:
1. writes every POST with operation CREATE, so the second POST finds its file existing and
   answers 500 ("Statements bulk indexation failed"): patched to APPEND;
2. compares `statement.verb.id` and `statement.object.id` with the query's `verb`/`activity`
   coerced to ralph's IRI RootModel, which never equals a plain string, so a verb or activity
   filter matches nothing: patched to pass plain strings.

Usage: python lrs_launcher.py HOST PORT   (RALPH_* variables configure data dir and auth file)
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

_write = FSLRSBackend.write
_query = FSLRSBackend.query_statements


def write(self, data, target=None, chunk_size=None, ignore_errors=False, operation_type=None):
    return _write(self, data, target, chunk_size, ignore_errors,
                  operation_type or BaseOperationType.APPEND)


def query_statements(self, params, target=None):
    for name in ("verb", "activity"):
        value = getattr(params, name, None)
        if value is not None and not isinstance(value, str):
            setattr(params, name, str(value))
    return _query(self, params, target)


FSLRSBackend.write = write
FSLRSBackend.query_statements = query_statements

if __name__ == "__main__":
    from ralph.api import app

    uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
