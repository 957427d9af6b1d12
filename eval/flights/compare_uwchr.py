"""RemovalWatch's monthly and per-country figures beside UWCHR's, for the same rows.

    python eval/flights/compare_uwchr.py [--table ../shared/reference/flights/uwchr-ice-air/RadarboxSWQ+WAL20200112-20200427.csv]

UWCHR's notebook counts every row of its Radarbox export, by the month of its Date column; its
arrival countries are the rows' arrival airports (ICAO code, or IATA where the ICAO is missing). RemovalWatch reads the same rows as legs,
drops rows without any known airport, counts a repeated row once, and sorts every leg by what it
is. This prints both side by side, in Markdown, for docs/flights.md.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

from removalwatch.flights import airports as ap
from removalwatch.flights.missions import assemble
from removalwatch.flights.readers.radarbox import read_table
from removalwatch.flights.stats import monthly_stats, removal_legs
from removalwatch.flights.watchlist import load

DEFAULT = Path(__file__).resolve().parents[2].parent / "shared/reference/flights/uwchr-ice-air/RadarboxSWQ+WAL20200112-20200427.csv"
ROLES = ["removal", "technical stop / onward", "return", "domestic", "positioning", "shuttle", "charter", "abroad",
         "unknown"]


def uwchr(path: Path) -> tuple[Counter, dict[str, Counter]]:
    """Rows per month, and per month the rows from a US airport to each other country."""
    rows, abroad = Counter(), defaultdict(Counter)
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            month = row["Date"][:7]
            rows[month] += 1
            origin, arrival = (ap.country((ap.resolve((row[f"{end}ICAO"] or row[f"{end}IATA"]).strip(" ()")) or {})
                                          .get("icao")) for end in ("Departure", "Arrival"))
            if origin == "US" and arrival and arrival != "US":
                abroad[month][arrival] += 1
    return rows, abroad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=DEFAULT)
    args = parser.parse_args()
    rows, abroad = uwchr(args.table)
    report = read_table(args.table)
    watchlist = load(None)
    legs, missions = assemble(report.flights, watchlist)
    by_key = {m.key: m for m in missions}
    months = sorted(rows)
    print("| month | UWCHR rows | RemovalWatch legs | rows not kept | " + " | ".join(ROLES) + " |")
    print("|---" * (4 + len(ROLES)) + "|")
    per_month = {}
    for month in months:
        month_legs = [f for f in legs if f.local_day and f.local_day.isoformat()[:7] == month]
        stats = monthly_stats(month, month_legs, [by_key[k] for k in {f.mission for f in month_legs if f.mission}])
        per_month[month] = stats
        print(f"| {month} | {rows[month]:,} | {stats.legs:,} | {rows[month] - stats.legs} | "
              + " | ".join(str(stats.by_role.get(r, 0)) for r in ROLES) + " |")
    print(f"\nRows not kept, all months: {dict(report.rejected)}, and "
          f"{report.notes['repeated row (counted once)']} repeated rows. Kept with something missing: "
          + ", ".join(f"{k}: {v}" for k, v in report.notes.items() if not k.startswith("repeated")))
    for month in months:
        stats = per_month[month]
        countries = sorted(set(abroad[month]) | set(stats.removals_by_country) | set(stats.shuttles_by_country),
                           key=lambda c: -abroad[month].get(c, 0))
        print(f"\n### {month}: legs from the US to each country\n")
        month_legs = [f for f in legs if f.local_day and f.local_day.isoformat()[:7] == month]
        removal = {f.leg_key for _, f in removal_legs([by_key[k] for k in {f.mission for f in month_legs if f.mission}])}
        onward = Counter(f.destination_country for f in month_legs if f.leg_key in removal and f.origin_country != "US")
        inferred = Counter(f.destination_country for f in month_legs if f.origin_country == "US"
                           and f.destination_country != "US" and "inferred" in (f.takeoff_basis, f.landing_basis))
        print("| country | UWCHR rows US → country | RemovalWatch removals | of which onward from abroad | "
              "shuttles and other charters | an airport inferred | unexplained |")
        print("|---|---|---|---|---|---|---|")
        for c in countries:
            u, r, s = abroad[month].get(c, 0), stats.removals_by_country.get(c, 0), stats.shuttles_by_country.get(c, 0)
            rest = u - (r - onward[c]) - s + inferred[c]
            print(f"| {c} | {u} | {r} | {onward[c]} | {s} | {inferred[c]} | {rest:+d} |")


if __name__ == "__main__":
    main()
