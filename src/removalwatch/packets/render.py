"""Write a packet as a self-contained HTML file (every picture inline, every report text escaped)
and as a PDF made from the same HTML by WeasyPrint. Files appear whole or not at all."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import jinja2

from removalwatch.evidence.summary import event_summary, reports, route
from removalwatch.packets.assemble import Packet

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("removalwatch.packets", "templates"),
    autoescape=True,  # report text is untrusted: "<script>" in a quotation is shown, never run
    undefined=jinja2.StrictUndefined,
)


def render_html(packet: Packet) -> str:
    return _TEMPLATES.get_template("packet.html").render(
        p=packet, summary=event_summary, route=route, reports=reports,
        b64=lambda data: base64.b64encode(data).decode("ascii"))


def write_packet(packet: Packet, folder: Path, *, pdf: bool = True) -> list[Path]:
    """The packet's HTML file (and PDF) in `folder`, named after its scope and the time it was made."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"packet-{re.sub(r'[^A-Za-z0-9]+', '-', packet.scope)}-{packet.made_at:%Y%m%dT%H%M%SZ}"
    html = render_html(packet)
    written = [_atomic(folder / f"{stem}.html", html.encode("utf-8"))]
    if pdf:
        from weasyprint import HTML  # slow to import: only when a PDF is asked for
        written.append(_atomic(folder / f"{stem}.pdf", HTML(string=html).write_pdf()))
    return written


def _atomic(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
