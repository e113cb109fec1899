// A world map coloured by vote: the countries of world-atlas (npm, ISC;
// Natural Earth, public domain), 1:110m, drawn as SVG in an equirectangular
// projection.  The map is a picture for the eye; its numbers are in its
// accessible name, and its table view lists every State.

import { h } from './h.js';

const MAP = '/node_modules/world-atlas/countries-110m.json';
const SVG = 'http://www.w3.org/2000/svg';
const W = 960;
const H = 470; // latitudes -85..+85 at the width's scale, plus a margin

let topo = null;

async function load() {
  if (!topo) {
    const r = await fetch(MAP);
    if (!r.ok) throw new Error(`the map data answered ${r.status}`);
    topo = await r.json();
  }
  return topo;
}

/* TopoJSON arcs, delta-decoded into longitudes and latitudes. */
function arcsOf(t) {
  const [sx, sy] = t.transform.scale;
  const [tx, ty] = t.transform.translate;
  return t.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

function ringPath(arcs, ring) {
  let pts = [];
  for (const i of ring) {
    const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    pts.push(...(pts.length ? a.slice(1) : a));
  }
  // a ring that crosses the 180th meridian (Russia, Fiji) is unwrapped to
  // one side, where the map's edge cuts it, instead of striping the map;
  // Antarctica's runs along the edge of the map and stays as it is
  if (pts.some((p, k) => k > 0 && Math.abs(p[0] - pts[k - 1][0]) > 180) && !pts.some((p) => p[1] < -80)) {
    const east = pts.reduce((n, p) => n + (p[0] > 0 ? 1 : -1), 0) >= 0;
    pts = pts.map(([lon, lat]) => [east && lon < 0 ? lon + 360 : !east && lon > 0 ? lon - 360 : lon, lat]);
  }
  return 'M' + pts.map(([lon, lat]) => `${((lon + 180) * W / 360).toFixed(1)},${((85 - lat) * W / 360 + 5).toFixed(1)}`).join('L') + 'Z';
}

function pathOf(arcs, g) {
  const polys = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
  return polys.map((p) => p.map((r) => ringPath(arcs, r)).join('')).join('');
}

/*
 * The map: classOf(numeric) gives a country's class (its vote), or null;
 * name is the map's accessible name.  Resolves to an <svg>, or to null when
 * the map data cannot be had (the table view says it all anyway).
 */
export async function worldMap({ classOf, titleOf, name, credit }) {
  let t;
  try {
    t = await load();
  } catch {
    return null;
  }
  const arcs = arcsOf(t);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'world-map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', name);
  for (const g of t.objects.countries.geometries) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', pathOf(arcs, g));
    p.setAttribute('class', `country ${classOf(g.id) || 'vt-none'}`);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = titleOf(g.id) || (g.properties && g.properties.name) || '';
    p.append(title);
    svg.append(p);
  }
  return h('figure', { class: 'map' }, svg, credit ? h('figcaption', { class: 'small muted' }, credit) : null);
}
