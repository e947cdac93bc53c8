import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate, recentRate, secondsLeft } from './format';

describe('S3 screen formatting', () => {
  it('formats sizes in binary units', () => {
    expect([0, 1023, 1536, 5 * 1024 * 1024, 1.5 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 MiB', '1.5 GiB']);
  });

  it('formats rates in MB/s and durations', () => {
    expect([formatRate(2_500_000), formatRate(45_000_000), formatRate(0)]).toEqual(['2.5 MB/s', '45 MB/s', '– MB/s']);
    expect([formatDuration(5), formatDuration(75), formatDuration(3725), formatDuration(Infinity)]).toEqual(['5 s', '1 min 15 s', '1 h 2 min', '–']);
  });

  it('measures the rate over the recent window only, so a stall shows', () => {
    const samples = [
      { atMs: 0, bytes: 0 },
      { atMs: 1000, bytes: 10_000_000 },
      { atMs: 5000, bytes: 10_000_000 },
      { atMs: 6000, bytes: 11_000_000 },
    ];
    // Window 3 s before 6000 ms starts at the 5000 ms sample: 1 MB in 1 s.
    expect(recentRate(samples)).toBe(1_000_000);
    expect(recentRate(samples.slice(0, 1))).toBe(0);
    expect(secondsLeft(5_000_000, 1_000_000)).toBe(5);
    expect(secondsLeft(1, 0)).toBe(Infinity);
  });
});
