/**
 * What a metadata column's text says before any test: missing cells, dates and times, identifier names.
 * Kept apart from the screen's statistics so each rule can be read (and tested) alone.
 */

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '.']);

export function isMissing(v: string | undefined): boolean {
  if (v === undefined || v === '') return true;
  // every missing word is at most 4 characters once trimmed: most cells are judged by their length alone
  if (v.length > 4 && v.charCodeAt(0) > 32 && v.charCodeAt(v.length - 1) > 32) return false;
  return MISSING.has(v.trim().toLowerCase());
}

/** A column name cut into lower-case words: "StudyInstanceUID" -> study, instance, uid; "image_id" -> image, id. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const ID_LAST_WORDS = new Set([
  'id',
  'uid',
  'uuid',
  'guid',
  'hash',
  'md5',
  'sha1',
  'sha256',
  'accession',
  'number',
  'no',
  'num',
  'nr',
  'mrn',
  'key',
  'path',
  'file',
  'filename',
]);
const ID_WHOLE_NAMES = new Set([
  'patient',
  'study',
  'series',
  'subject',
  'accession',
  'image',
  'path',
  'file',
  'filename',
]);

/** Whether the name says identifier: its last word is id/uid/hash/accession/number/mrn/path..., or it is "patient", "study"... */
export function identifierName(name: string): boolean {
  const w = nameWords(name);
  return w.length > 0 && (ID_LAST_WORDS.has(w[w.length - 1]) || ID_WHOLE_NAMES.has(w.join('')));
}

/** Whether the name is a patient key (used for "unique per patient"). */
export function patientKeyName(name: string): boolean {
  const w = nameWords(name).join('_');
  return ['patient', 'patient_id', 'patient_no', 'patient_number', 'subject', 'subject_id', 'mrn'].includes(w);
}

const ISO = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const COMPACT_TIME = /^(\d{2})(\d{2})(\d{2})?(?:\.\d+)?$/;

function dayMs(y: number, m: number, d: number): number | null {
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  return new Date(t).getUTCDate() === d ? t : null;
}

function clockSeconds(h: number, m: number, s: number): number | null {
  return h < 24 && m < 60 && s < 61 ? h * 3600 + m * 60 + s : null;
}

/**
 * A date or time as a number: dates (ISO "2021-03-04", "2021/03/04", with an optional time) as milliseconds since
 * 1970, times of day ("08:15", "08:15:30") as seconds since midnight. DICOM's compact forms (DA "20210304",
 * TM "081530") are taken only when the column's name says date/time, since they are also plain integers.
 */
export function parseDateTime(v: string, nameSaysDate: boolean, nameSaysTime: boolean): number | null {
  let m = ISO.exec(v);
  if (m) {
    const day = dayMs(+m[1], +m[2], +m[3]);
    if (day === null) return null;
    if (m[4] === undefined) return day;
    const s = clockSeconds(+m[4], +m[5], +(m[6] ?? 0));
    return s === null ? null : day + s * 1000;
  }
  m = CLOCK.exec(v);
  if (m) return clockSeconds(+m[1], +m[2], +(m[3] ?? 0));
  m = nameSaysDate ? COMPACT_DATE.exec(v) : null;
  if (m) return dayMs(+m[1], +m[2], +m[3]);
  m = nameSaysTime ? COMPACT_TIME.exec(v) : null;
  if (m) return clockSeconds(+m[1], +m[2], +(m[3] ?? 0));
  return null;
}

/** Every value as a date/time number, or null when any one is not (the column is then not a date column). */
export function parseDateColumn(name: string, values: readonly string[]): Float64Array | null {
  const words = nameWords(name);
  const saysDate = words.some((w) => w === 'date' || w === 'dob' || w.endsWith('date'));
  const saysTime = words.some((w) => w === 'time' || w.endsWith('time'));
  const out = new Float64Array(values.length);
  let kind: 'clock' | 'day' | undefined;
  for (let i = 0; i < values.length; i++) {
    const t = parseDateTime(values[i], saysDate, saysTime);
    if (t === null) return null;
    // times of day and dates in one column are not one scale
    const k = CLOCK.test(values[i]) || (saysTime && !saysDate && COMPACT_TIME.test(values[i])) ? 'clock' : 'day';
    if (kind !== undefined && k !== kind) return null;
    kind = k;
    out[i] = t;
  }
  return values.length ? out : null;
}
