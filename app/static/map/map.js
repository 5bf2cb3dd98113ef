// The planning map: region + kind → boundary, facilities, circles, holes, suggested sites
// and the indicator table. Plain Leaflet, no build step; every layer comes from /v1.
"use strict";
const CITIES = [["512000", "资阳市"], ["510100", "成都市"]];
const params = new URLSearchParams(location.search);
const map = L.map("map", { preferCanvas: true }).setView([30.12, 104.64], 11);
const layers = {};
const loaded = new Set();
const $ = (id) => document.getElementById(id);

function mark(name) {
  loaded.add(name);
  document.body.dataset.loaded = [...loaded].sort().join(",");
}

async function json(path, query) {
  const url = path + (query ? "?" + new URLSearchParams(query) : "");
  const resp = await fetch(url);
  if (!resp.ok) throw new Error((await resp.json()).detail || resp.status);
  return resp.json();
}

function fill(select, items, keep) {
  select.innerHTML = "";
  for (const [value, text] of items) select.add(new Option(text, value));
  if (keep && items.some(([v]) => v === keep)) select.value = keep;
}

function show(name, layer) {
  if (layers[name]) map.removeLayer(layers[name]);
  layers[name] = layer.addTo(map);
}

async function loadCounties(keep) {
  const list = await json("/v1/regions", { level: "county", parent: $("city").value });
  fill($("county"), [["", "（全市）"], ...list.items.map((r) => [r.code, r.name])], keep);
}

async function loadTownships(keep) {
  const county = $("county").value;
  const items = county
    ? (await json("/v1/regions", { level: "township", parent: county })).items
    : [];
  fill($("township"), [["", "（全县/区）"], ...items.map((r) => [r.code, r.name])], keep);
}

function region() {
  return $("township").value || $("county").value || $("city").value;
}

function colour(p, max) {
  const t = max ? Math.sqrt(p / max) : 0;
  return `rgb(${Math.round(255 - 40 * t)},${Math.round(220 - 200 * t)},${Math.round(120 - 100 * t)})`;
}

async function facilities(code, kind) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 5; page++) {
    const query = { kind, limit: 100 };
    if (cursor) query.cursor = cursor;
    const body = await json(`/v1/regions/${code}/facilities`, query);
    items.push(...body.items);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return items;
}

async function analyse() {
  const code = region(), kind = $("kind").value, k = $("k").value;
  $("summary").textContent = "计算中…";
  const detail = await json(`/v1/regions/${code}`);
  const outline = L.geoJSON(detail.boundary, { style: { color: "#333", weight: 2, fill: false } });
  show("boundary", outline);
  map.fitBounds(outline.getBounds());
  mark("boundary");

  const [cov, holes, sites, targets, facs] = await Promise.all([
    json("/v1/analysis/coverage", { region: code, kind }),
    json("/v1/analysis/holes", { region: code, kind, limit: 200 }),
    json("/v1/analysis/suggestions", { region: code, kind, k }),
    json("/v1/analysis/targets", { region: code }),
    facilities(code, kind),
  ]);
  const minutes = detail.urban_rural === "rural" ? cov.circle.rural_minutes : cov.circle.urban_minutes;
  const reach = await json("/v1/reach", { kind, region: code, minutes, profile: cov.profile.code });
  show("circles", L.geoJSON(reach, { style: { color: "#1f6feb", weight: 1, fillOpacity: 0.15 } }));
  mark("circles");

  const max = Math.max(1, ...holes.features.map((f) => f.properties.population));
  show("holes", L.geoJSON(holes, {
    style: (f) => ({ color: "#a40e26", weight: 0.5, fillColor: colour(f.properties.population, max), fillOpacity: 0.7 }),
    onEachFeature: (f, l) => l.bindPopup(
      `${f.properties.township_name}：未覆盖 ${f.properties.population} 人` +
      (f.properties.nearest ? `<br>最近：${f.properties.nearest.name}，步行 ${f.properties.nearest.walk_minutes} 分钟` : "")),
  }));
  mark("holes");

  show("facilities", L.layerGroup(facs.map((f) =>
    L.circleMarker([f.location.lat, f.location.lon], { radius: 5, color: "#0b6", fillOpacity: 0.9 })
      .bindPopup(f.name))));
  mark("facilities");

  show("sites", L.geoJSON(sites, {
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 9, color: "#6f42c1", weight: 3, fillOpacity: 0.3 })
      .bindTooltip(String(f.properties.rank), { permanent: true, direction: "center" }),
    onEachFeature: (f, l) => l.bindPopup(`建议点位 ${f.properties.rank}：新增覆盖 ${f.properties.adds_population} 人`),
  }));
  mark("sites");

  const pct = cov.share === null ? "—" : (cov.share * 100).toFixed(1) + "%";
  $("summary").innerHTML =
    `<p><b>${cov.region.name}</b> · ${cov.kind.name_zh}<br>` +
    `${cov.population_group.name_zh} ${cov.population.toLocaleString()} 人，` +
    `圈内 ${cov.covered.toLocaleString()}（${pct}），圈外 ${cov.outside.toLocaleString()}<br>` +
    `未覆盖片区 ${holes.holes_total} 处；新增 ${sites.features.length} 个点位可再覆盖 ` +
    `${sites.newly_covered.toLocaleString()} 人（${sites.method.startsWith("exact") ? "精确解" : "贪心解"}，` +
    `差距 ≤ ${(sites.gap * 100).toFixed(1)}%）</p>`;
  const body = $("targets").tBodies[0];
  body.innerHTML = "";
  for (const t of targets.indicators) {
    const row = body.insertRow();
    row.insertCell().innerHTML = `${t.name_zh}<div class="note">${t.year}年 · ${t.cite}</div>`;
    const cell = row.insertCell();
    cell.textContent = t.value === null ? "—" : `${t.value}${t.unit === "%" ? "%" : ""}`;
    cell.className = t.met === null ? "" : t.met ? "met" : "unmet";
    row.insertCell().textContent = `${t.op} ${t.target}${t.unit === "%" ? "%" : ""}`;
  }
  mark("targets");
  history.replaceState(null, "", `?region=${code}&kind=${kind}&k=${k}`);
}

const legend = L.control({ position: "bottomright" });
legend.onAdd = () => {
  const div = L.DomUtil.create("div", "legend");
  div.innerHTML = '<i style="background:#0b6"></i>现有设施<br><i style="background:#9cf"></i>步行服务圈<br>' +
    '<i style="background:#d33"></i>未覆盖（按人口深浅）<br><i style="border:3px solid #6f42c1"></i>建议点位';
  return div;
};
legend.addTo(map);

async function start() {
  const want = params.get("region") || "";
  const city = CITIES.find(([c]) => want.startsWith(c.slice(0, 4)))?.[0] || "512000";
  fill($("city"), CITIES, city);
  await loadCounties(want.length >= 6 && want !== city ? want.slice(0, 6) : "");
  await loadTownships(want.length === 9 ? want : "");
  const kinds = await json("/v1/kinds");
  const list = kinds.items || kinds;
  fill($("kind"), list.map((t) => [t.code, t.name_zh]), params.get("kind") || "meal_point");
  if (params.get("k")) $("k").value = params.get("k");
  $("city").onchange = async () => { await loadCounties(); await loadTownships(); };
  $("county").onchange = () => loadTownships();
  $("go").onclick = () => analyse().catch((e) => { $("summary").textContent = "出错：" + e.message; });
  await analyse();
}
start().catch((e) => { $("summary").textContent = "出错：" + e.message; document.body.dataset.error = e.message; });
