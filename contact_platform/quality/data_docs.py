"""The Great Expectations Data Docs site: every suite and its latest validations as static HTML.

Validation results and the site live under the CONTACT home (never in git). The contexts stay
ephemeral, so the warehouse URL is never written to disk; only results and pages are. Each
suite keeps its latest results, so the site stays bounded.

A validation renders its own page only. GE's index page reads every stored result, so building
it with each validation made every suite slower as results accumulated (1 s, then 6 s after a
dozen runs); `build_index` renders it once, after a run or before the site is served, from the
latest results only.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import great_expectations as gx
from great_expectations.data_context.types.base import (
    DataContextConfig,
    FilesystemStoreBackendDefaults,
)
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

_RESULTS = Path("uncommitted") / "validations"
_SITE = Path("uncommitted") / "data_docs" / "local_site"
_RUNS = "__none__"  # GE's folder for runs without a run name
_NO_PAGE = "__index_only__"


@dataclass(frozen=True)
class DataDocs:
    root: Path
    base_url: str
    keep: int = 20  # validations kept per suite
    index_lists: int = 100  # latest validations on the index page (all suites, twice over)

    @property
    def site(self) -> Path:
        return self.root / _SITE

    @property
    def index(self) -> Path:
        return self.site / "index.html"

    def context_config(self) -> DataContextConfig:
        """Stores on disk under `root`, for an ephemeral context that renders the site."""
        config = DataContextConfig(
            store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(self.root))
        )
        for site in config.data_docs_sites.values():
            site["site_index_builder"]["validation_results_limit"] = self.index_lists
        return config

    def has_validations(self) -> bool:
        return any((self.root / _RESULTS).glob(f"*/{_RUNS}/*"))

    def build_index(self) -> Path:
        """Render the index page from the latest validations; pages are left as they are."""
        context = gx.get_context(project_config=self.context_config(), mode="ephemeral")
        # Naming a resource that does not exist builds no page, then the index (GE builds every
        # page when given no resource at all).
        context.build_data_docs(resource_identifiers=[ExpectationSuiteIdentifier(_NO_PAGE)])
        return self.index

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
