/**
 * Open complaints by location on Leaflet, with no tile server: the ward outlines come from a
 * bundled GeoJSON (web/admin/src/wards.placeholder.geojson.json — PLACEHOLDER polygons around Dhaka,
 * not the real ward boundaries, which are not available offline here) and complaints are circle
 * markers (no marker images needed).
 */
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "preact/hooks";
import { get, qs } from "../api";
import { label, navigate, useAppState } from "../state";
import { Card, Status, useData } from "../ui";
import wards from "../wards.placeholder.geojson.json";
import { STATUS } from "./complaints";

export function MapPage() {
  const { t, lang } = useAppState();
  const host = useRef<HTMLDivElement>(null);
  const { data, error, loading } = useData(
    () => Promise.all([STATUS.submitted, STATUS.inProgress].map((s) => get(`/complaints${qs({ status: s, page_size: 100 })}`))).then((lists) => lists.flatMap((l: any) => l.results)),
    [],
  );
  useEffect(() => {
    if (!host.current || !data) return;
    const map = L.map(host.current, { attributionControl: false, zoomSnap: 0.25 });
    const outlines = L.geoJSON(wards as GeoJSON.FeatureCollection, {
      style: { color: "#0a7d4f", weight: 1.5, fillColor: "#0a7d4f", fillOpacity: 0.06 },
      onEachFeature: (f, layer) => layer.bindTooltip(`${t.ward} ${f.properties.ward_number}`, { permanent: true, direction: "center", className: "ward-label" }),
    }).addTo(map);
    map.fitBounds(outlines.getBounds());
    for (const c of data) {
      if (c.latitude === null || c.longitude === null) continue;
      L.circleMarker([c.latitude, c.longitude], { radius: 7, color: c.status === STATUS.submitted ? "#c93636" : "#e0a100", weight: 2, fillOpacity: 0.7 })
        .bindPopup(`<strong>${c.tracking_number}</strong><br>${escapeHtml(c.title)}<br>${label("complaint_status", c.status)}`)
        .on("dblclick", () => navigate(`/complaints/${c.id}`))
        .addTo(map);
    }
    return () => void map.remove();
  }, [data, lang]);
  return (
    <div>
      <h1>{t.map}</h1>
      <Card title={t.openComplaints}>
        <Status loading={loading} error={error} />
        <div class="map" ref={host} data-testid="map" data-markers={data?.filter((c: any) => c.latitude !== null).length ?? 0} />
        <p class="muted">{t.mapNote}</p>
      </Card>
    </div>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
