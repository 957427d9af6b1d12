"""Sending one alert over one channel. Each sender raises `DeliveryError` with a one-line reason
when the channel refuses or cannot be reached; the outbox then retries later.

- webhook: a JSON POST signed with HMAC-SHA256 (`X-RemovalWatch-Signature: sha256=<hex>`, over the
  exact body), the alert's key as `Idempotency-Key`: a receiver keeps the first of any copies;
- email: over SMTP (STARTTLS when asked), the key in the Message-ID;
- apprise: Signal, Telegram, Slack, Matrix, ntfy ... whatever Apprise URLs the user gives;
- atom: HOME/alerts.atom, rewritten from the latest alerts (feedgen).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import httpx

from removalwatch.alerts.rules import Channel
from removalwatch.domain import Alert

TIMEOUT = 10.0


class DeliveryError(Exception):
    pass


def payload(alert: Alert) -> bytes:
    return json.dumps(alert.model_dump(mode="json"), ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send(channel: Channel, alert: Alert, *, home: Path, recent: list[Alert] | None = None) -> None:
    try:
        if channel.type == "atom":
            write_feed(home, recent or [alert])
        else:
            {"webhook": _webhook, "email": _email, "apprise": _apprise}[channel.type](channel, alert)
    except (OSError, httpx.HTTPError, smtplib.SMTPException) as exc:  # refused, unreachable, timed out
        raise DeliveryError(f"{type(exc).__name__}: {exc}".splitlines()[0][:300]) from None


def _webhook(channel: Channel, alert: Alert) -> None:
    body = payload(alert)
    headers = {"Content-Type": "application/json", "Idempotency-Key": alert.key,
               "User-Agent": "RemovalWatch alerts"}
    if channel.options.get("secret_env"):
        headers["X-RemovalWatch-Signature"] = signature(_required(channel, "secret_env"), body)
    response = httpx.post(str(channel.options["url"]), content=body, headers=headers,
                          timeout=float(channel.options.get("timeout", TIMEOUT)))
    if response.status_code >= 300:
        raise DeliveryError(f"HTTP {response.status_code} from the webhook")


def _email(channel: Channel, alert: Alert) -> None:
    host, _, port = str(channel.options["smtp"]).rpartition(":")
    message = EmailMessage()
    message["Subject"] = f"[RemovalWatch] {alert.subject}"
    message["From"] = channel.options["from"]
    message["To"] = ", ".join(channel.options["to"])
    message["Message-ID"] = make_msgid(idstring=hashlib.sha256(alert.key.encode()).hexdigest()[:24],
                                       domain="removalwatch.alerts")
    message["X-RemovalWatch-Key"] = alert.key
    lines = [alert.body, "", f"Alert {alert.key}, raised {alert.created:%Y-%m-%d %H:%M} UTC by rule {alert.rule}."]
    lines += [f"  {command}" for command in alert.commands]
    lines += ["", "Evidence:", json.dumps(alert.evidence, ensure_ascii=False, indent=2)]
    message.set_content("\n".join(lines))
    wants_login = channel.options.get("user_env") or channel.options.get("password_env")
    if wants_login and not channel.options.get("starttls"):
        raise DeliveryError("refusing to send an SMTP password without STARTTLS (set starttls: true)")
    with smtplib.SMTP(host, int(port), timeout=TIMEOUT) as smtp:
        if channel.options.get("starttls"):
            smtp.starttls(context=ssl.create_default_context())  # the server's certificate is checked
        if wants_login:
            smtp.login(_required(channel, "user_env"), _required(channel, "password_env"))
        smtp.send_message(message)


def _required(channel: Channel, option: str) -> str:
    """A secret the channel names: missing, it is an error (never an unsigned webhook, never a silent
    anonymous login)."""
    value = channel.secret(option)
    if not value:
        raise DeliveryError(f"the environment variable {channel.options[option]} ({option}) is not set")
    return value


def _apprise(channel: Channel, alert: Alert) -> None:
    import apprise
    urls = channel.options.get("urls") or _required(channel, "urls_env").split()
    notifier = apprise.Apprise()
    for url in ([urls] if isinstance(urls, str) else urls):
        notifier.add(url)
    if not notifier.notify(title=f"RemovalWatch: {alert.subject}", body=alert.body):
        raise DeliveryError("Apprise could not notify every service")


def feed_path(home: Path) -> Path:
    return Path(home) / "alerts.atom"


def write_feed(home: Path, recent: list[Alert]) -> Path:
    """An Atom feed of the latest alerts, newest first, rewritten whole (a temporary file, then a rename)."""
    from feedgen.feed import FeedGenerator
    feed = FeedGenerator()
    feed.id("urn:removalwatch:alerts")
    feed.title("RemovalWatch alerts")
    feed.author({"name": "RemovalWatch"})
    feed.link(href="urn:removalwatch:alerts", rel="self")
    feed.updated(max((a.created for a in recent), default=None) or dt.datetime.now(dt.timezone.utc))
    for alert in sorted(recent, key=lambda a: a.created):
        entry = feed.add_entry()
        entry.id(f"urn:removalwatch:alert:{hashlib.sha256(alert.key.encode()).hexdigest()[:32]}")
        entry.title(alert.subject)
        entry.updated(alert.created)
        entry.content("\n".join([alert.body, *alert.commands]), type="text")
        entry.category(term=alert.kind)
    path = feed_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    feed.atom_file(str(tmp), pretty=True)
    os.replace(tmp, path)
    return path
