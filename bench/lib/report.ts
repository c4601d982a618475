// Options, percentiles and plain-text tables shared by the benchmarks. No dependencies on purpose:
// the numbers printed must be easy to audit.
import os from 'node:os';

/** `--name=value` on the command line wins over env BENCH_NAME, which wins over the default. */
export function stringOption(name: string): string | undefined {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return (
    (flag ? flag.slice(name.length + 3) : process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`]) || undefined
  );
}

/** A number option, positive unless `allowZero`. */
export function numberOption(name: string, fallback: number, allowZero = false): number {
  const raw = stringOption(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  return value;
}

/** Nearest-rank percentile of an ascending array (NaN when empty, so a missing figure cannot pass). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : NaN;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean,
  };
}

export const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a');
export const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');

/** Left-aligned first column, right-aligned figures. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Collects PASS/FAIL lines; the caller prints them last and exits 1 when any failed. */
export class Verdicts {
  private readonly lines: string[] = [];
  failed = 0;

  check(label: string, ok: boolean, detail: string): void {
    if (!ok) this.failed++;
    this.lines.push(`${ok ? 'PASS' : 'FAIL'}  ${label.padEnd(34)} ${detail}`);
  }

  print(): void {
    console.log(this.lines.join('\n'));
  }
}

export const sleep = (msDelay: number) => new Promise<void>((r) => setTimeout(r, msDelay));

/** Date, machine and runtime, printed with every result so figures are never read out of context. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${new Date().toISOString()} · ${os.availableParallelism()} cores (${cpu}) · node ${process.version} · ${os.platform()} ${os.release()}`;
}
