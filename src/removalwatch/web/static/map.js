// Draws the GeoJSON named by #map's data-geojson over the tiles of data-tiles (the bundled
// OpenStreetMap tiles unless a tile server is configured). No inline script: the CSP forbids it.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, maxZoom: 9 }).setView([20, 10], 2);
  L.tileLayer(el.dataset.tiles, { maxNativeZoom: 6, maxZoom: 9, attribution: el.dataset.attribution }).addTo(map);

  function label(p) {
    var text = (p.callsign || p.icao24 || "flight") + ": " + (p.takeoff_airport || "?") + " → " +
      (p.landing_airport || "landing not observed") + ", score " + Number(p.removal_score).toFixed(2);
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/flights/" + encodeURIComponent(p.id);
    link.textContent = text;  // text, never markup
    box.appendChild(link);
    return box;
  }

  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (f) { return { color: f.properties.third_country ? "#b2182b" : "#2166ac", weight: 3 }; },
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5 }); },
        onEachFeature: function (f, l) { l.bindPopup(label(f.properties)); }
      }).addTo(map);
      var drawn = data.features.filter(function (f) { return f.geometry; }).length;
      el.dataset.features = String(drawn);
      if (drawn) { map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 6 }); }
    })
    .catch(function (err) { el.dataset.error = String(err); });
})();
