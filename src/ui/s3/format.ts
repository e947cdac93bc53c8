/** Display helpers shared by the S3 screens: sizes, rates, durations, dates. Pure, so they are unit-tested. */

const KIB = 1024;
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `1536` → `1.5 KiB`; whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= KIB && unit < UNITS.length - 1) {
    value /= KIB;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

/** Transfer rate in MB/s (decimal megabytes, as network tools report it). */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '– MB/s';
  return `${(bytesPerSecond / 1e6).toFixed(bytesPerSecond >= 1e7 ? 0 : 1)} MB/s`;
}

/** `75` → `1 min 15 s`; `–` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A date as `2026-12-04 16:05` in the viewer's time zone, `–` when absent. */
export function formatDate(date: Date | string | number | undefined): string {
  if (date === undefined) return '–';
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return '–';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A number for a table cell: up to 4 significant decimals, no trailing noise. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return Number(value.toFixed(4)).toString();
}

/**
 * Throughput and time left from samples of (time, bytes done). Uses the last RATE_WINDOW_MS of samples
 * so that a stall shows quickly instead of being averaged away over the whole upload.
 */
export const RATE_WINDOW_MS = 3000;

export interface RateSample {
  atMs: number;
  bytes: number;
}

/** Bytes per second over the recent window; 0 until two samples span some time. */
export function recentRate(samples: readonly RateSample[], nowMs = samples.at(-1)?.atMs ?? 0): number {
  if (samples.length < 2) return 0;
  const last = samples[samples.length - 1]!;
  let first = samples[0]!;
  for (const s of samples) {
    if (nowMs - s.atMs <= RATE_WINDOW_MS) {
      first = s;
      break;
    }
  }
  const dt = (last.atMs - first.atMs) / 1000;
  return dt > 0 ? Math.max(0, (last.bytes - first.bytes) / dt) : 0;
}

/** Seconds left at `rate` bytes/s for `remaining` bytes; Infinity when the rate is unknown. */
export function secondsLeft(remaining: number, rate: number): number {
  return rate > 0 ? remaining / rate : Infinity;
}
