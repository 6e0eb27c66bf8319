"""The gemeente level: aggregates across an organisation\x27s teams (docs/privacy.md)."""
