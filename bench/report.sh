#!/usr/bin/env bash
# Usage: bench/report.sh [session]     markdown tables of one bench/all.sh session (default: the latest)
# Reads bench/results/peers.jsonl and publish.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
node - "$RESULTS" "${1:-}" <<'JS'
const fs = require('fs');
const [dir, want] = process.argv.slice(2);
const lines = (f) => fs.existsSync(`${dir}/${f}`) ? fs.readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean) : [];
const peers = lines('peers.jsonl').filter((l) => l.session);
const session = want || (peers.length ? peers[peers.length - 1].session : null);
const runs = peers.filter((l) => l.session === session);
const get = (t, s) => runs.filter((r) => r.target === t && r.scenario === s).pop();
const n = (x, d = 0) => (x == null ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + '×' : '–');
const sbRun = runs.find((r) => r.target.startsWith('switchboard')); console.log(`Session ${session}, Switchboard build ${sbRun ? sbRun.commit : '?'}\n`);
console.log('| transport | scenario | figure | Switchboard | Pushpin | ratio SB/PP | SB server CPU | loadgen CPU | other CPU | lost (SB/PP) |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const tr of ['sse', 'ws', 'longpoll']) {
  for (const sc of ['100x2000', '1000x500']) {
    const sb = get(`switchboard-${tr}`, sc), pp = get(`pushpin-${tr}`, sc);
    if (!sb && !pp) continue;
    const T = (r) => r && r.throughput, L = (r) => r && r.latency;
    const lost = (r, p) => (r && p(r) ? p(r).lost : '–');
    console.log(`| ${tr} | ${sc} | deliveries/s (serial publisher) | ${n(T(sb) && T(sb).deliveries_per_s)} | ${n(T(pp) && T(pp).deliveries_per_s)} | ${ratio(T(sb) && T(sb).deliveries_per_s, T(pp) && T(pp).deliveries_per_s)} | ${n(T(sb) && T(sb).server_cpu_pct)}% | ${n(T(sb) && T(sb).loadgen_cpu_pct)}% | ${n(T(sb) && T(sb).other_cpu_pct)}% | ${lost(sb, T)}/${lost(pp, T)} |`);
    console.log(`| ${tr} | ${sc} | p99 ms at ${n(L(sb) && L(sb).target_rate)} msg/s (first-subscriber p99) | ${n(L(sb) && L(sb).p99_ms, 2)} (${n(L(sb) && L(sb).first_p99_ms, 2)}) | ${n(L(pp) && L(pp).p99_ms, 2)} (${n(L(pp) && L(pp).first_p99_ms, 2)}) | ${ratio(L(pp) && L(pp).p99_ms, L(sb) && L(sb).p99_ms)} faster | ${n(L(sb) && L(sb).server_cpu_pct)}% | ${n(L(sb) && L(sb).loadgen_cpu_pct)}% | ${n(L(sb) && L(sb).other_cpu_pct)}% | ${lost(sb, L)}/${lost(pp, L)} |`);
  }
  const sb = get(`switchboard-${tr}`, 'idle10000'), pp = get(`pushpin-${tr}`, 'idle10000');
  if (sb || pp) {
    const m = (r) => r && r.memory && r.memory.per_conn_kb;
    console.log(`| ${tr} | idle10000 | KiB RSS per idle connection (${n(sb && sb.connect && sb.connect.ok)} / ${n(pp && pp.connect && pp.connect.ok)} connected) | ${n(m(sb), 2)} | ${n(m(pp), 2)} | ${ratio(m(pp), m(sb))} smaller | | | | |`);
  }
}
const pubs = lines('publish.jsonl');
if (pubs.length) {
  const last = pubs[pubs.length - 1];
  const set = pubs.filter((p) => p.commit === last.commit && Math.abs(Date.parse(p.date) - Date.parse(last.date)) < 600e3);
  console.log(`\nDurable publish (bench/publish.sh, ${last.secs}s per case, commit ${last.commit}, ${last.date})\n`);
  console.log('| case | sync msg/s | async msg/s | sync p99 | async p99 | sync server CPU | stored ≥ acked |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const c of ['single-64', 'batch-1000', 'serial-1']) {
    const s = set.filter((p) => p.case === c && p.durability === 'sync').pop(), a = set.filter((p) => p.case === c && p.durability === 'async').pop();
    console.log(`| ${c} | ${n(s && s.msgs_per_s)} | ${n(a && a.msgs_per_s)} | ${s ? s.p99 : '–'} | ${a ? a.p99 : '–'} | ${s ? s.server_cpu_pct : '–'}% | ${s && a ? s.stored_ok && a.stored_ok : '–'} |`);
  }
}
JS
