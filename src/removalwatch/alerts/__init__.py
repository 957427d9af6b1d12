"""Alerts: rules that say which changes matter (rules.py, evaluate.py), an outbox in the store
that keeps them until sent (store/outbox.py), and the channels that send them (channels.py,
deliver.py)."""
