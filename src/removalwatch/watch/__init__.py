"""`removalwatch watch`: live ADS-B and report feeds in, flights built as positions arrive, alerts
raised into the outbox and sent."""
