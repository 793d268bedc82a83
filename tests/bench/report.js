// Writes tests/bench/RESULTS.md from the runs ops/bench.sh recorded (one
// JSON object per line: label, scale, command, careers-bench's JSON).
// Everything above the marker line is generated; what follows it in the
// existing file (the hand-written analysis) is kept.
'use strict';
const fs = require('fs');
const os = require('os');
const {execFileSync} = require('child_process');

const MARKER = '<!-- Generated above by tests/bench/report.js; written by hand below. -->';

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

const a = args();
const runs = fs.readFileSync(a.runs, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);
const small = Number(a.small);
const large = Number(a.large);

function find(label, scale) {
  return runs.filter((r) => r.label === label && r.scale === scale).pop();
}
const ms = (us) => (us / 1000).toFixed(2);
const fmt = (x, d = 0) => x.toLocaleString('en-GB', {maximumFractionDigits: d, minimumFractionDigits: d});

function firstLine(path) {
  try {
    return fs.readFileSync(path, 'utf8').trim().split('\n').pop();
  } catch (e) {
    return 'not recorded';
  }
}

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, {encoding: 'utf8'}).trim().split('\n')[0];
  } catch (e) {
    return 'unknown';
  }
}

const cpu = os.cpus();
const lines = [];
const p = (s = '') => lines.push(s);

p('# Benchmark results');
p();
p(`Written by \`ops/bench.sh\` on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} at commit \`${a.commit}\`. ` +
  'Run it again to replace everything above the marker line.');
p();
p('## Machine and set-up');
p();
p(`- CPU: ${cpu.length} × ${cpu[0] ? cpu[0].model : 'unknown'}; memory ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; ` +
  `Linux ${os.release()}.`);
p(`- ${version('mariadbd', ['--version'])}; gRPC ${version('pkg-config', ['--modversion', 'grpc++'])}; ` +
  `protobuf ${version('pkg-config', ['--modversion', 'protobuf'])}.`);
p(`- Release build (\`build/bench\`, -O3). careers-server and MariaDB pinned to cores ${a['server-cpus']}, ` +
  `careers-bench to cores ${a['bench-cpus']} (the raw-SQL baselines do the server's work, so they run on ` +
  `the server's cores). Server \`--concurrency ${a['server-concurrency']}\` (workers; database pool ` +
  `${Number(a['server-concurrency']) + 1} connections); MariaDB with a 4 GiB buffer pool.`);
p('- Every call carries a valid signed token and goes through the access policy and, for staff, the access ' +
  'log. A non-OK answer is not counted as a success; the codes column shows every answer.');
p();
p('## Data set (`careers-bench-data`)');
p();
p(`- ${fmt(small)} profiles: ${firstLine(a['load-small'])}`);
p(`- grown to ${fmt(large)} profiles: ${firstLine(a['load-large'])}`);
p('- One organisation, 500 advisers (weekday hours 09:00–17:00 Europe/London for 8 weeks, 30-minute ' +
  'slots), every profile shared with the organisation; 100 experiences (3 skills each) per profile at ' +
  'the small scale, 1 per profile added for the large one.');
p('- Reads run first, at both scales on the same data; the writes (update, create, about 20,000 ' +
  'bookings) run last, on the large data set, so they do not change what the scale comparison reads.');
p();

// Targets.
p('## Targets');
p();
p('| target | measured | result |');
p('|---|---|---|');
const verdict = (ok) => (ok ? '**met**' : '**not met**');
const health = find('health', small);
const getProfile = find('get-profile', small);
const getOwn = find('get-own-profile', small);
if (health) {
  p(`| Health/Check not below the sync server's (about 30,000/s here) | ${fmt(health.result.qps)}/s | ` +
    `${verdict(health.result.qps >= 30000)} |`);
}
if (health && getOwn) {
  const ratio = getOwn.result.qps / health.result.qps;
  p(`| GetProfile as the person ≥ 0.3 × Health/Check (${fmt(small)} profiles) | ${fmt(getOwn.result.qps)} / ` +
    `${fmt(health.result.qps)} = ${ratio.toFixed(3)} × | ${verdict(ratio >= 0.3)} |`);
}
if (getOwn && getProfile) {
  const ratio = getProfile.result.qps / getOwn.result.qps;
  p(`| GetProfile as an adviser ≥ 0.9 × as the person (${fmt(small)} profiles) | ${fmt(getProfile.result.qps)} / ` +
    `${fmt(getOwn.result.qps)} = ${ratio.toFixed(3)} × | ${verdict(ratio >= 0.9)} |`);
}
const book = find('create-appointment', large);
const bookSql = find('sql-create-appointment', large);
if (book && bookSql) {
  const ratio = book.result.qps / bookSql.result.qps;
  p(`| CreateAppointment ≥ 0.5 × its raw-SQL baseline (${fmt(large)} profiles) | ${fmt(book.result.qps)} / ` +
    `${fmt(bookSql.result.qps)} = ${ratio.toFixed(3)} × | ${verdict(ratio >= 0.5)} |`);
}
for (const r of runs.filter((x) => x.label.endsWith('@half'))) {
  const l = r.result.latency_us;
  const ratio = l.p99 / l.p50;
  // Latencies are of OK answers only, so a run that refused calls fails
  // whatever its percentiles say.
  const refused = r.result.calls - r.result.ok;
  const note = refused > 0 ? `; ${fmt(refused)} of ${fmt(r.result.calls)} calls not OK` : '';
  p(`| ${r.label.replace('@half', '')} at half its peak rate (${fmt(r.result.rate)}/s, ${fmt(r.scale)} profiles): ` +
    `p99 ≤ 4 × p50 | ${ms(l.p99)} / ${ms(l.p50)} ms = ${ratio.toFixed(2)} ×${note} | ` +
    `${verdict(ratio <= 4 && refused === 0)} |`);
}
const burst = find('burst-1000', small);
if (burst) {
  const refused = burst.result.calls - burst.result.ok;
  p(`| 1,000 connections with a GetProfile in flight on each: every call answered OK | ` +
    `${fmt(burst.result.ok)} of ${fmt(burst.result.calls)} OK; p50 ${ms(burst.result.latency_us.p50)} ms, ` +
    `p99 ${ms(burst.result.latency_us.p99)} ms | ${verdict(refused === 0)} |`);
}
if (a['watch-streams'] && fs.existsSync(a['watch-streams'])) {
  const w = JSON.parse(fs.readFileSync(a['watch-streams'], 'utf8'));
  p(`| ${fmt(w.streams)} open health Watch streams: server threads < 64 | ${w.threads} threads ` +
    `(${w.threads_before} before), RSS ${(w.rss_kb / 1024).toFixed(0)} MiB ` +
    `(${(w.rss_kb_before / 1024).toFixed(0)} before); all SERVING in ${w.seconds.toFixed(2)} s | ` +
    `${verdict(w.threads < 64 && w.serving === w.streams)} |`);
}
for (const [flag, what] of [['change-latency', 'at 200 writes/s, one reader'],
                            ['change-streams', 'with 2,000 readers, at 20 writes/s']]) {
  if (!a[flag] || !fs.existsSync(a[flag])) continue;
  const c = JSON.parse(fs.readFileSync(a[flag], 'utf8'));
  p(`| WatchChanges, commit to reader ${what} (no target; threads < 64) | ` +
    `${fmt(c.changes)} changes received; p50 ${ms(c.latency_us.p50)} ms, p99 ` +
    `${ms(c.latency_us.p99)} ms; ${c.threads} threads (${c.threads_before} before), RSS ` +
    `${(c.rss_kb / 1024).toFixed(0)} MiB (${(c.rss_kb_before / 1024).toFixed(0)} before) | ` +
    `${verdict(c.threads < 64 && c.ended_early === 0 && c.opened === c.streams)} |`);
}
for (const s of ['get-profile', 'get-own-profile', 'search-availability']) {
  for (const label of [s, `${s}@half`]) {
    const lo = find(label, small);
    const hi = find(label, large);
    if (!lo || !hi) continue;
    const ratio = hi.result.latency_us.p50 / lo.result.latency_us.p50;
    p(`| ${label}: p50 from ${fmt(small)} to ${fmt(large)} profiles grows ≤ 1.5 × | ` +
      `${ms(lo.result.latency_us.p50)} → ${ms(hi.result.latency_us.p50)} ms = ${ratio.toFixed(2)} × | ` +
      `${verdict(ratio <= 1.5)} |`);
  }
}
p();

p('## Every run');
p();
p('Closed loop: calls in flight. Open loop (`@half`): a fixed rate, latency from each call\'s intended ' +
  'send time. Latencies are of OK answers (and, for the hot slot, of the expected FAILED_PRECONDITION).');
p();
p('| profiles | scenario | mode | calls by code | OK/s | p50 ms | p90 ms | p99 ms | p99.9 ms |');
p('|---:|---|---|---|---:|---:|---:|---:|---:|');
for (const r of runs) {
  const x = r.result;
  const mode = x.mode === 'open' ? `open, ${fmt(x.rate)}/s` : `closed, ${x.concurrency}`;
  const codes = Object.entries(x.codes).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
  const l = x.latency_us;
  p(`| ${fmt(r.scale)} | ${r.label.replace('@half', '')} | ${mode} | ${codes} | ${fmt(x.qps)} | ` +
    `${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l['p99.9'])} |`);
}
p();
p('## Commands');
p();
p('```');
for (const r of runs) p(r.command);
p('```');
p();
p(MARKER);

let kept = '\n';
if (fs.existsSync(a.out)) {
  const old = fs.readFileSync(a.out, 'utf8');
  const at = old.indexOf(MARKER);
  if (at >= 0) kept = old.slice(at + MARKER.length);
}
fs.writeFileSync(a.out, lines.join('\n') + kept);
