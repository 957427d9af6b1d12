"""The web face: the JSON API (api.py), served by `removalwatch serve`."""
