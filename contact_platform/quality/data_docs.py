"""The Great Expectations Data Docs site: every suite and its latest validations as static HTML.

Validation results and the site live under the CONTACT home (never in git). The contexts stay
ephemeral, so the warehouse URL is never written to disk; only results and pages are. Each
suite keeps its latest results, so the site and the time to rebuild its index stay bounded.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from great_expectations.data_context.types.base import (
    DataContextConfig,
    FilesystemStoreBackendDefaults,
)

_RESULTS = Path("uncommitted") / "validations"
_SITE = Path("uncommitted") / "data_docs" / "local_site"
_RUNS = "__none__"  # GE's folder for runs without a run name


@dataclass(frozen=True)
class DataDocs:
    root: Path
    base_url: str
    keep: int = 20  # validations kept per suite

    @property
    def site(self) -> Path:
        return self.root / _SITE

    @property
    def index(self) -> Path:
        return self.site / "index.html"

    def context_config(self) -> DataContextConfig:
        """Stores on disk under `root`, for an ephemeral context that renders the site."""
        return DataContextConfig(
            store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(self.root))
        )

    def prune(self, suite: str) -> None:
        """Drop all but the latest `keep - 1` validations of `suite`: with the one about to
        run, `keep` remain."""
        for folder in (self.root / _RESULTS, self.site / "validations"):
            runs = sorted((folder / suite / _RUNS).glob("*"))
            for old in runs[: max(len(runs) - (self.keep - 1), 0)]:
                shutil.rmtree(old, ignore_errors=True)

    def url_of(self, page: Path) -> str:
        """The address of a page of the site as `contact quality docs` serves it."""
        return urljoin(self.base_url, page.relative_to(self.site).as_posix())

    def page_of(self, suite: str) -> Path | None:
        """The page of the latest validation of `suite`."""
        pages = sorted((self.site / "validations" / suite / _RUNS).glob("*/*.html"))
        return pages[-1] if pages else None
