"""Serving the Data Docs site on localhost, rendering a validation's page on its first request.

The checks only store their results (quality/data_docs.py): the site is rendered when someone
looks at it, the latest validations and the index when the server starts, an older page when a
link from the Dagster UI asks for it.
"""

from __future__ import annotations

import contextlib
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from contact_platform.quality.data_docs import DataDocs


def docs_server(docs: DataDocs, host: str, port: int) -> ThreadingHTTPServer:
    """A server of `docs`' site (not started: call serve_forever); port 0 picks a free one."""
    docs.render()

    class RenderingHandler(SimpleHTTPRequestHandler):
        def send_head(self):
            page = Path(self.translate_path(self.path))
            if not page.exists() and page.suffix == ".html" and page.is_relative_to(docs.site):
                with contextlib.suppress(ValueError):  # not a validation's page: a 404
                    docs.render_page(page)
            return super().send_head()

    handler = functools.partial(RenderingHandler, directory=str(docs.site))
    return ThreadingHTTPServer((host, port), handler)
