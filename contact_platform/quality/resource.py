"""Where the suites keep their results and Data Docs, configured per environment from `Settings`."""

from pathlib import Path

import dagster as dg

from contact_platform.quality.data_docs import DataDocs
from contact_platform.settings import Settings


class QualityResource(dg.ConfigurableResource):
    """The Data Docs site the checks add to, and the address it is served at."""

    data_docs_dir: str
    data_docs_url: str

    def data_docs(self) -> DataDocs:
        return DataDocs(Path(self.data_docs_dir), self.data_docs_url)

    @classmethod
    def from_settings(cls, settings: Settings) -> "QualityResource":
        return cls(data_docs_dir=str(settings.quality_dir), data_docs_url=settings.data_docs_url)
