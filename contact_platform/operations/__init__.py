"""Running the platform: the demo, the Dagster instance, and what users are told."""
