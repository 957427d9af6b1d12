"""Which alerts a change raises. Pure: the change in, alerts out, each with a key that names the
event it is about, so that seeing the same event again raises nothing new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from removalwatch.alerts.rules import AlertConfig
from removalwatch.domain import REMOVAL_CANDIDATE_SCORE, Alert, Flight
from removalwatch.evidence.events import OPPOSES
from removalwatch.evidence.links import destination_of
from removalwatch.flights import airports as ap
from removalwatch.flights.classify import third_country_reasons
from removalwatch.reports.extract.claims import summarise


@dataclass(frozen=True)
class FiledClaim:
    """A claim a new report made, with the event it was filed into and the report's statements on it."""

    claim_id: int
    event_id: int | None
    type: str
    attributes: dict
    countries: frozenset[str]
    document_title: str | None
    document_sha256: str
    published: dt.date | None
    statements: tuple[tuple[int, str, str, str], ...]  # (id, speaker, stance, content)


def _commands(country: str | None) -> list[str]:
    return [f"removalwatch country {country}", f"removalwatch packet --country {country}"] if country else []


def claim_alerts(config: AlertConfig, filed: list[FiledClaim], flights: list[Flight], now: dt.datetime) -> list[Alert]:
    """Alerts for a report just stored: a removal flight reported, a court order, a denial of a flight
    that was observed."""
    alerts = []
    for claim in filed:
        source = {"report": claim.document_title, "sha256": claim.document_sha256, "published": str(claim.published or "")}
        said = [{"statement": sid, "speaker": who, "stance": stance, "quotation": content}
                for sid, who, stance, content in claim.statements]
        subject_id = f"{claim.event_id}" if claim.event_id is not None else f"claim-{claim.claim_id}"
        summary = summarise(claim.type, claim.attributes)

        def alert(rule, key: str, subject: str, body: str, country: str | None, **evidence) -> Alert:
            return Alert(key=key, rule=rule.name, kind=rule.kind, subject=subject, body=body, created=now,
                         country=country, commands=_commands(country),
                         evidence={"event": claim.event_id, "claim": claim.claim_id, "source": source,
                                   "statements": said, **evidence})

        if claim.type == "removal_flight":
            destination, status = claim.attributes.get("destination"), claim.attributes.get("status")
            for rule in config.of_kind("removal_claim"):
                if destination and status in rule.statuses and (not rule.countries or destination in rule.countries):
                    alerts.append(alert(rule, f"removal-claim:{subject_id}:{status}", f"Reported: {summary}",
                                        f"{claim.document_title or 'A report'} says a removal flight to {destination} "
                                        f"is {status}.", destination))
        if claim.type == "court_action" and claim.attributes.get("effect") in ("blocks", "orders"):
            for rule in config.of_kind("court_order"):
                alerts.append(alert(rule, f"court-order:{subject_id}", f"Court: {summary}",
                                    f"{claim.document_title or 'A report'}: {summary}.",
                                    next(iter(sorted(claim.countries)), None)))
        denials = [s for s in said if s["stance"] in OPPOSES]
        if denials and claim.type in ("removal_flight", "agreement"):
            for rule in config.of_kind("denial_after_flight"):
                for flight in flights:
                    country, seen = destination_of(flight)[0], flight.first_seen.date()
                    if country not in claim.countries or flight.removal_score < REMOVAL_CANDIDATE_SCORE or claim.published is None \
                            or not seen <= claim.published <= seen + dt.timedelta(days=30):
                        continue
                    alerts.append(alert(
                        rule, f"denial-after-flight:{subject_id}:{flight.icao24}:{flight.first_seen:%Y-%m-%dT%H:%M}",
                        f"Denied after a flight was seen: {country}",
                        f"{denials[0]['speaker']} {denials[0]['stance']}s ({claim.document_title or 'a report'}, "
                        f"{claim.published}) what flight {flight.callsign or flight.icao24} to {country} on {seen} "
                        f"suggests.", country, flight=flight.id))
    return alerts


def flight_alerts(config: AlertConfig, flight: Flight, now: dt.datetime, extra_third: frozenset[str] = frozenset()
                  ) -> list[Alert]:
    """Alerts for a watched aircraft's leg as it is seen: leaving a staging airport; heading to a third country."""
    alerts = []
    departed = flight.takeoff_time or flight.first_seen
    aircraft = flight.registration or flight.icao24
    name = f"{flight.callsign or aircraft} ({aircraft}{', ' + flight.operator if flight.operator else ''})"
    evidence = {"flight": flight.id, "icao24": flight.icao24, "callsign": flight.callsign,
                "takeoff": flight.takeoff_airport, "takeoff_time": departed.isoformat(), "reasons": flight.reasons}
    staging = ap.staging_airports()
    if flight.takeoff_airport in staging:
        for rule in config.of_kind("staging_departure"):
            alerts.append(Alert(
                key=f"staging-departure:{flight.icao24}:{departed:%Y-%m-%dT%H:%M}", rule=rule.name, kind=rule.kind,
                subject=f"{name} took off from staging airport {flight.takeoff_airport}",
                body=(f"{name} took off from {flight.takeoff_airport} ({staging[flight.takeoff_airport]}) at "
                      f"{departed:%Y-%m-%d %H:%M} UTC."),
                created=now, evidence=evidence))
    country = destination_of(flight)[0]
    how = "landed" if flight.landing_observed else "predicted"
    why = third_country_reasons(country, extra_third) if country and flight.removal_score >= REMOVAL_CANDIDATE_SCORE else []
    if why:
        for rule in config.of_kind("third_country_flight"):
            if rule.countries and country not in rule.countries:
                continue
            alerts.append(Alert(
                key=f"third-country:{flight.icao24}:{departed:%Y-%m-%dT%H:%M}", rule=rule.name, kind=rule.kind,
                subject=f"{name} heading to third country {country} ({how})",
                body=f"{name}, off {flight.takeoff_airport or 'an unknown airport'} at {departed:%Y-%m-%d %H:%M} UTC: "
                     f"{how} destination {country}. {'; '.join(why)}",
                created=now, country=country, evidence={**evidence, "destination": country, "basis": how,
                                                        "third_country": why},
                commands=_commands(country)))
    return alerts
