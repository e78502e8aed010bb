"""The synthetic generator: how a newcomer sees the platform work, and what the tests run on."""
