"""Flights: readers → positions → flights → removal candidates."""
