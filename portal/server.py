"""Serving the portal with uvicorn.

Tokens travel in the URL path (`/a/<token>`), so the request line is a credential: uvicorn's
access log is switched off and the portal logs no request lines of its own. Answers are never
logged either. Put a reverse proxy with TLS in front in production and keep its access log free
of paths too (e.g. nginx `log_format` without `$request`), or log `$uri` with the token masked.
"""

from __future__ import annotations

import uvicorn

from portal.app import create_app


def serve(host: str = "127.0.0.1", port: int = 8000, *, workers_log_level: str = "info") -> None:
    """Run the portal until interrupted (refuses to start without a proper secret key)."""
    app = create_app()
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        server_header=False,
        log_level=workers_log_level,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
