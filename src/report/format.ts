/** Number and text formatting shared by the report and the viewer. */

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A number with fixed decimals, or an en dash when missing. */
export function fmt(v: unknown, digits = 2): string {
  return isNum(v) ? v.toFixed(digits) : '–';
}

/** A share as a percentage ("41.3%"). */
export function pct(v: unknown, digits = 1): string {
  return isNum(v) ? `${(v * 100).toFixed(digits)}%` : '–';
}

/** An estimate with its 95% CI, as "0.84 (0.81–0.87)". */
export function withCi(v: unknown, ci: unknown, digits = 2, asPct = false): string {
  const f = (x: unknown) => (asPct ? pct(x, digits) : fmt(x, digits));
  if (!isNum(v)) return '–';
  if (!Array.isArray(ci) || !isNum(ci[0]) || !isNum(ci[1])) return f(v);
  return `${f(v)} (${f(ci[0])}–${f(ci[1])})`;
}

/** A p-value: three decimals, or "< 0.001". */
export function pval(p: unknown): string {
  if (!isNum(p)) return '–';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** "p = 0.012" or "p < 0.001". */
export function pText(p: unknown): string {
  const s = pval(p);
  return s.startsWith('<') ? `p ${s}` : `p = ${s}`;
}

/** Seconds as "12.3 s", "4 min 05 s" or "1 h 02 min". */
export function duration(sec: unknown): string {
  if (!isNum(sec)) return '–';
  if (sec < 60) return `${sec.toFixed(1)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${String(Math.round(sec % 60)).padStart(2, '0')} s`;
  return `${Math.floor(sec / 3600)} h ${String(Math.round((sec % 3600) / 60)).padStart(2, '0')} min`;
}

/** Any JSON value as short display text. */
export function plain(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Flatten nested objects to dotted keys with scalar (or array) values, for settings tables. */
export function flatten(obj: unknown, prefix = ''): [string, unknown][] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [[prefix || 'value', obj]];
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0)
      out.push(...flatten(v, key));
    else out.push([key, v]);
  }
  return out;
}
