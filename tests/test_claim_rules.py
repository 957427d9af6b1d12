"""What a report asserts: a few sentences in, the claims a reader would list out.

Each row is a phrasing of real reporting, in the team's own words, with the claim it must give —
or must not give (`None`): countries merely near the word "deal" are not its parties, the terms of
a deal are not a flight, a court asked to act has not acted.
"""

from __future__ import annotations

import pytest

from removalwatch.reports.extract import extract

US = "The Trump administration has stepped up removals. "

# text, claim type, fields the claim must have (None: no claim of that type)
ROWS = [
    # no US in the report: the deporting country is the one acting, not the one most named
    ("Nauru's president signed the deal last week. The first men deemed non-citizens by Australia have been "
     "removed to Nauru, advocates say. Nauru has issued them visas, and Nauru's government said more would follow.",
     "removal_flight", {"destination": "NR", "origin": "AU", "status": "completed"}),
    # removal flights
    (US + "A military plane carrying 12 deportees landed in Juba on Saturday.", "removal_flight",
     {"destination": "SS", "status": "completed", "people": 12, "aircraft": "military"}),
    (US + "Officials said a charter flight to Misrata could leave as early as this week.", "removal_flight",
     {"destination": "LY", "status": "planned", "aircraft": "charter", "when": "as early as this week"}),
    (US + "Ghana will receive about 40 West African deportees next week.", "removal_flight",
     {"destination": "GH", "status": "planned", "people": 40}),
    (US + "The eight men deported to South Sudan and five to Eswatini had served their sentences.",
     "removal_flight", {"destination": "SZ", "status": "completed", "people": 5}),
    (US + "A judge blocked the government from sending them to Libya.", "removal_flight",
     {"destination": "LY", "status": "blocked"}),
    (US + "The deportees are currently held at a prison facility in Juba.", "removal_flight",
     {"destination": "SS", "status": "completed"}),
    (US + "Eswatini received five men deported by the United States in July.", "removal_flight",
     {"destination": "SZ", "status": "completed", "people": 5}),
    (US + "Rwanda announced the arrival of a group of seven deportees in mid-August.", "removal_flight",
     {"destination": "RW", "status": "completed", "people": 7}),
    (US + "The deportation of over 200 migrants from the United States to\nCosta Rica drew criticism.",
     "removal_flight", {"destination": "CR", "people": 200}),
    # the people of a removal, described a sentence later
    (US + "A deportation flight landed in Lomé with 11 men on board. The group included four Nigerians, three "
     "Togolese and one Beninese.", "removal_flight", {"destination": "TG", "nationalities": ["NG", "TG", "BJ"]}),
    (US + "Five men were deported to Eswatini on Tuesday. The men, convicted criminals from Vietnam, Laos and "
     "Cuba, are held in a prison near Mbabane.", "removal_flight",
     {"destination": "SZ", "nationalities": ["VN", "LA", "CU"]}),
    (US + "The jet flew 120 Venezuelan migrants from El Salvador to Caracas.", "removal_flight",
     {"destination": "VE", "origin": "SV", "people": 120}),
    (US + "Two men from Vietnam and a man from Mexico were all deported to their home countries.",
     "removal_flight", {"destination": "MX", "status": "completed", "people": 1}),
    (US + "Paraguay signed an agreement under which asylum seekers may be sent to Paraguay.", "removal_flight",
     None),
    (US + "The deal allowed the US to transfer $7.5 million to Equatorial Guinea.", "removal_flight", None),
    (US + "Britain had a similar plan to deport asylum seekers to Rwanda.", "removal_flight", None),
    # agreements
    (US + "Kosovo has ratified an agreement with Denmark to host foreign prisoners.", "agreement",
     {"parties": ["DK", "XK"], "status": "confirmed", "purpose": "detention"}),
    (US + "Ghana, Uganda and Rwanda have accepted deportees under similar agreements with the United States.",
     "agreement", {"parties": ["RW", "US"]}),
    (US + "Burkina Faso said it has refused a proposal from Washington to accept deportees.", "agreement",
     {"parties": ["BF", "US"], "status": "rejected"}),
    (US + "Rwanda says it is in talks with Washington on a similar deal.", "agreement",
     {"parties": ["RW", "US"], "status": "proposed"}),
    (US + "The transfer paid $7.5 million to Equatorial Guinea to accept third-country deportees.", "agreement",
     {"parties": ["GQ", "US"], "value": {"amount": 7_500_000.0, "currency": "USD"}}),
    (US + "A similar UK-Rwanda deal was scrapped last year.", "agreement", {"parties": ["GB", "RW"]}),
    (US + "The migrants had crossed at the US-Mexico border before the deal.", "agreement", None),
    (US + "Kosovo signed the accord to thank the US for its support since it broke away from Serbia.", "agreement",
     {"parties": ["US", "XK"]}),
    # solicitations
    (US + "The Trump administration has pressed countries in Africa to accept deportees.", "solicitation",
     {"by": "US"}),
    (US + "Liberia has refused a US request to host third-country nationals.", "solicitation", {"by": "US"}),
    # court actions
    (US + "A federal judge on Friday blocked the removal of the men to South Sudan.", "court_action",
     {"effect": "blocks"}),
    (US + "The Supreme Court said the administration is free to send the men to South Sudan.", "court_action",
     {"effect": "allows"}),
    (US + "The policy was upheld by the Supreme Court last month.", "court_action", {"effect": "allows"}),
    (US + "The appeals court paused the judge's injunction while the case continues.", "court_action",
     {"effect": "allows"}),
    (US + "Judge Ana Vos ruled on Monday. Vos ordered the government to return the men.", "court_action",
     {"effect": "orders"}),
    (US + "Their lawyers asked that a court in Accra block any further removals.", "court_action", None),
]


def claims_of(text: str, claim_type: str) -> list[dict]:
    return [c for c in extract(text).to_json_dict()["claims"] if c["type"] == claim_type]


@pytest.mark.parametrize("text, claim_type, fields", ROWS, ids=[r[0][len(US):][:45] for r in ROWS])
def test_claim(text, claim_type, fields):
    found = claims_of(text, claim_type)
    if fields is None:
        assert found == [], found
        return
    matching = [c for c in found if all(c.get(k) == v for k, v in fields.items() if k in ("destination", "parties", "by",
                                                                                         "effect"))]
    assert matching, found
    claim = matching[0]
    for name, value in fields.items():
        assert claim[name] == value, (name, claim)


def test_a_flight_denied_by_the_receiving_government_is_contested():
    text = (US + "Officials said a military flight to Misrata could leave this week. The Government of National Unity "
            "denied any agreement with Washington to receive deportees.")
    extraction = extract(text)
    [deal] = [c for c in extraction.claims if c.type == "agreement"]
    assert deal.parties == ["LY", "US"] and deal.status == "denied"
    [denial] = [s for s in extraction.statements if s.stance == "deny"]
    assert deal.id in denial.claims and denial.speaker.country == "LY"


def test_two_batches_to_one_country_are_two_removals():
    text = (US + "Ghana will receive about 40 West African deportees in the coming days. So far, 14 migrants have "
            "transited through Ghana under the scheme.")
    flights = sorted((c["status"], c["people"]) for c in claims_of(text, "removal_flight"))
    assert flights == [("completed", 14), ("planned", 40)]
