"""Facebook Page and Instagram through Meta's webhooks and Send API (private replies only)."""
