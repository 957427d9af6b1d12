"""The library face: what the commands do, from Python, on one store."""

from __future__ import annotations

from removalwatch import RemovalWatch
from removalwatch.demo import sample_reports_dir


def test_a_script_adds_reports_and_reads_events_dossier_and_packet(tmp_path):
    with RemovalWatch(home=tmp_path / "home") as rw:
        results, alerts = rw.add_reports([str(sample_reports_dir())])
        assert {r.status for r in results} == {"added"} and alerts
        assert rw.add_reports([str(sample_reports_dir())])[0][0].status == "exists"
        assert any(e.type == "removal_flight" and e.key == "LY" for e in rw.events(country="LY"))
        [libya] = [c for c in rw.contradictions() if c.event.key == "LY" and c.event.type == "removal_flight"]
        assert {v.speaker for v in libya.opposing} >= {"Government of National Unity", "Libyan National Army"}
        dossier = rw.country("LY")
        assert dossier.status == "contested" and dossier.flights == []  # no flight seen yet
        packet, files = rw.packet(country="LY", pdf=False)
        assert packet.status == "contested" and files[0].suffix == ".html" and files[0].exists()
        assert len(rw.documents()) == 5 and rw.claims() and rw.alerts()


def test_the_store_and_data_directory_follow_the_arguments(tmp_path):
    rw = RemovalWatch(home=tmp_path / "a", database_url=f"sqlite:///{tmp_path / 'b.db'}")
    assert rw.home == tmp_path / "a" and rw.flights() == []
    assert (tmp_path / "b.db").exists() and not (tmp_path / "a" / "removalwatch.db").exists()
    rw.close()
