const integer = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatInt(n: number): string {
  return integer.format(Math.round(n));
}

export function formatCompact(n: number): string {
  return n >= 100_000 ? compact.format(n) : integer.format(Math.round(n));
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return integer.format(Math.round(perSecond));
  return perSecond.toFixed(1);
}

export function formatClock(d: Date): string {
  return d.toLocaleTimeString('en-GB', { hour12: false });
}

/** "1m", "10s", "1h30m" from seconds. */
export function formatWindow(seconds: number): string {
  const parts: string[] = [];
  let s = Math.round(seconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}
