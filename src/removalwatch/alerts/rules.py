"""Alert rules and channels: HOME/alerts.yaml, else the defaults shipped with the package.

A mistake in the file is reported with the file and line (and the key) where it is, never as a
traceback; secrets are read from the environment variables the file names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from removalwatch.errors import InputError

KINDS = ("staging_departure", "third_country_flight", "removal_claim", "denial_after_flight", "court_order")
CHANNEL_TYPES = ("atom", "webhook", "email", "apprise")
FILE_NAME = "alerts.yaml"


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    countries: frozenset[str] = frozenset()   # empty: any
    statuses: frozenset[str] = frozenset({"planned", "completed"})


@dataclass(frozen=True)
class Channel:
    name: str   # "webhook-1": what a delivery row names
    type: str
    options: dict = field(default_factory=dict)

    def secret(self, key: str) -> str | None:
        """The value of the environment variable the option `key` names."""
        variable = self.options.get(key)
        return os.environ.get(variable) if variable else None


@dataclass(frozen=True)
class AlertConfig:
    rules: tuple[Rule, ...]
    channels: tuple[Channel, ...]
    source: str

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def load(home: Path | None) -> AlertConfig:
    path = Path(home) / FILE_NAME if home else None
    if path is not None and path.exists():
        return parse(path.read_text(encoding="utf-8"), str(path))
    default = resources.files("removalwatch.data").joinpath("alerts", "rules.yaml")
    return parse(default.read_text(encoding="utf-8"), "the default alert rules")


def parse(text: str, source: str) -> AlertConfig:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(source, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise InputError(source, "expected a mapping with `rules` and `channels`", line=1)
    top = {key.value: value for key, value in root.value}
    for key, value in root.value:
        if key.value not in ("rules", "channels"):
            raise InputError(source, "unknown key (use `rules` and `channels`)", line=key.start_mark.line + 1,
                             field=key.value)
    rules = tuple(_rule(node, source, n) for n, node in enumerate(_items(top.get("rules"), source, "rules")))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise InputError(source, f"two rules are named {next(n for n in names if names.count(n) > 1)!r}", field="name")
    counts: dict[str, int] = {}
    channels = []
    for node in _items(top.get("channels"), source, "channels"):
        channel = _channel(node, source)
        counts[channel.type] = counts.get(channel.type, 0) + 1
        # a delivery names its channel: give each a `name` that stays when the file is reordered
        name = str(channel.options.pop("name", None) or f"{channel.type}-{counts[channel.type]}")
        if any(c.name == name for c in channels):
            raise InputError(source, f"two channels are named {name!r}", line=node.start_mark.line + 1, field="name")
        channels.append(Channel(name, channel.type, channel.options))
    return AlertConfig(rules, tuple(channels), source)


def _items(node, source: str, key: str) -> list:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(source, "expected a list", line=node.start_mark.line + 1, field=key)
    return node.value


def _mapping(node, source: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise InputError(source, "expected a mapping (key: value)", line=node.start_mark.line + 1)
    return {k.value: (v, k.start_mark.line + 1) for k, v in node.value}


def _value(node):
    return yaml.safe_load(yaml.serialize(node))


def _rule(node, source: str, n: int) -> Rule:
    fields = _mapping(node, source)
    line = node.start_mark.line + 1
    for key, (_, at) in fields.items():
        if key not in ("name", "kind", "countries", "statuses"):
            raise InputError(source, "unknown rule key (name, kind, countries, statuses)", line=at, field=key)
    kind = _value(fields["kind"][0]) if "kind" in fields else None
    if kind not in KINDS:
        raise InputError(source, f"kind must be one of {', '.join(KINDS)}", line=fields.get("kind", (None, line))[1],
                         field="kind")
    name = str(_value(fields["name"][0])) if "name" in fields else f"{kind}-{n + 1}"
    countries = _value(fields["countries"][0]) if "countries" in fields else []
    if not isinstance(countries, list) or not all(isinstance(c, str) and len(c) == 2 for c in countries):
        raise InputError(source, "countries must be a list of two-letter codes", line=fields["countries"][1],
                         field="countries")
    statuses = _value(fields["statuses"][0]) if "statuses" in fields else ["planned", "completed"]
    if not isinstance(statuses, list):
        raise InputError(source, "statuses must be a list", line=fields["statuses"][1], field="statuses")
    return Rule(name, kind, frozenset(c.upper() for c in countries), frozenset(statuses))


_REQUIRED = {"webhook": ("url",), "email": ("smtp", "from", "to"), "apprise": (), "atom": ()}


def _channel(node, source: str) -> Channel:
    fields = _mapping(node, source)
    line = node.start_mark.line + 1
    kind = _value(fields["type"][0]) if "type" in fields else None
    if kind not in CHANNEL_TYPES:
        raise InputError(source, f"channel type must be one of {', '.join(CHANNEL_TYPES)}",
                         line=fields.get("type", (None, line))[1], field="type")
    options = {key: _value(value) for key, (value, _) in fields.items() if key != "type"}
    for key in _REQUIRED[kind]:
        if key not in options:
            raise InputError(source, f"a {kind} channel needs `{key}`", line=line, field=key)
    if "timeout" in options and not (isinstance(options["timeout"], (int, float)) and options["timeout"] > 0):
        raise InputError(source, "timeout must be a number of seconds", line=fields["timeout"][1], field="timeout")
    if kind == "apprise" and not (options.get("urls") or options.get("urls_env")):
        raise InputError(source, "an apprise channel needs `urls` or `urls_env`", line=line, field="urls")
    if kind == "email":
        host, _, port = str(options["smtp"]).rpartition(":")
        if not host or not port.isdigit():
            raise InputError(source, f"smtp must be HOST:PORT, not {options['smtp']!r}", line=fields["smtp"][1],
                             field="smtp")
        if isinstance(options["to"], str):
            options["to"] = [options["to"]]
    return Channel(kind, kind, options)
