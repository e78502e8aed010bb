"""The Great Expectations Data Docs site: every suite and its latest validations as static HTML.

Validation results and the site live under the CONTACT home (never in git). The contexts stay
ephemeral, so the warehouse URL is never written to disk; only results and pages are. Each
suite keeps its latest results, so the site stays bounded.

A validation only stores its result: rendering its page took as long as running a routine
suite, and GE's index page, rebuilt with every page, reads every stored result, so each suite
grew slower as results accumulated (1 s, then 6 s after a dozen runs). The site is rendered
when it is looked at: `render` (end of `contact demo`, start of `contact quality docs`) renders
the pages of the latest validations and the index once; an older page is rendered when asked
for (`render_page`, on a request the docs server cannot find).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import great_expectations as gx
from great_expectations.data_context.types.base import (
    DataContextConfig,
    FilesystemStoreBackendDefaults,
)
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

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

    def context_config(self, latest_only: bool = True) -> DataContextConfig:
        """Stores on disk under `root`, for an ephemeral context that renders the site: from
        the latest validations only, or (`latest_only` false) from any."""
        config = DataContextConfig(
            store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(self.root))
        )
        if latest_only:
            for site in config.data_docs_sites.values():
                site["site_index_builder"]["validation_results_limit"] = self.index_lists
        return config

    def has_validations(self) -> bool:
        return any(self._results())

    def render(self) -> Path:
        """Render the pages of the validations the index lists that have none yet, and the
        index; older pages are rendered when asked for (`render_page`)."""
        results = sorted(self._results(), key=lambda path: path.parent.name, reverse=True)
        pending = [r for r in results[: self.index_lists] if not self._page(r).exists()]
        self._build([self._key(result) for result in pending], with_index=True)
        return self.index

    def render_page(self, page: Path) -> bool:
        """Render `page` of the site if it is the page of a stored validation; whether it was."""
        relative = page.relative_to(self.site / "validations").with_suffix(".json")
        result = self.root / _RESULTS / relative
        if not result.exists():
            return False
        self._build([self._key(result)], with_index=False)
        return True

    def _build(self, keys: list[ValidationResultIdentifier], with_index: bool) -> None:
        """Pages of `keys` and of their suites, and the index. Naming no existing resource
        builds the index alone (GE builds every page when given no resource at all)."""
        suites = {key.expectation_suite_identifier for key in keys}
        # The index lists the latest validations; a page asked for may be of an older one.
        config = self.context_config(latest_only=with_index)
        context = gx.get_context(project_config=config, mode="ephemeral")
        context.build_data_docs(
            resource_identifiers=[*keys, *suites] or [ExpectationSuiteIdentifier(_NO_PAGE)],
            build_index=with_index,
        )

    def _results(self, suite: str = "*") -> Iterator[Path]:
        """The stored validation results of `suite` (of every suite by default)."""
        return (self.root / _RESULTS).glob(f"{suite}/{_RUNS}/*/*.json")

    def _key(self, result: Path) -> ValidationResultIdentifier:
        return ValidationResultIdentifier.from_tuple(
            result.relative_to(self.root / _RESULTS).with_suffix("").parts
        )

    def _page(self, result: Path) -> Path:
        relative = result.relative_to(self.root / _RESULTS).with_suffix(".html")
        return self.site / "validations" / relative

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
        """The page of the latest validation of `suite`, rendered or to be rendered."""
        latest = max(self._results(suite), default=None)
        return self._page(latest) if latest else None
