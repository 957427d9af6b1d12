"""One-line descriptions of stored claims, in the users' words."""

from __future__ import annotations

from removalwatch.store.extractions import StoredClaim


def claim_summary(claim: StoredClaim) -> str:
    a = claim.attributes
    if claim.type == "removal_flight":
        extra = f", {a['aircraft']} aircraft" if a.get("aircraft") else ""
        return f"removal flight {a.get('origin') or '?'} → {a.get('destination')} ({a.get('status')}{extra})"
    if claim.type == "agreement":
        value = a.get("value")
        money = f", {value['amount']:,.0f} {value['currency']}" if value else ""
        return f"agreement {'–'.join(a.get('parties', []))} for {a.get('purpose')} ({a.get('status')}{money})"
    if claim.type == "designation":
        return f"{a.get('subject')} designated {a.get('label')} by {a.get('by')}"
    if claim.type == "solicitation":
        return f"{a.get('by')} seeks other countries to take deportees"
    return f"court ({a.get('court')}) {a.get('effect')}: {a.get('subject') or ''}".rstrip(": ")


def route(flight) -> str:
    """"KSKF → HLMS (LY), 2025-05-07 14:05", saying how an end not observed is known."""
    if flight.landing_airport:
        how = "" if flight.landing_basis in ("observed", "reported") else f", {flight.landing_basis}"
        end = f"{flight.landing_airport} ({flight.destination_country}{how})"
    elif flight.predicted:
        end = f"landing not observed, heading for {flight.predicted[0].airport} ({flight.predicted[0].country})"
    else:
        end = "landing not observed"
    return f"{flight.takeoff_airport or '?'} → {end}, {flight.first_seen:%Y-%m-%d %H:%M}"
