"""Exports for people who work outside RemovalWatch: flights as CSV, GeoJSON and KML; statements
and claims as CSV. Pure functions: each returns the text (or the GeoJSON dict), the caller writes it."""

from removalwatch.exports.flights import flights_csv, flights_geojson, flights_kml
from removalwatch.exports.records import claims_csv, statements_csv

__all__ = ["claims_csv", "flights_csv", "flights_geojson", "flights_kml", "statements_csv"]
