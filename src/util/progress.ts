import cliProgress from 'cli-progress';

export interface Progress {
  tick(n?: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A progress bar on stderr. When stderr is not a terminal (CI, logs) it stays silent, and the caller's
 * closing summary line is the record; set CONFOUND_PROGRESS=1 to force it.
 */
export function progress(label: string, total: number, fields: string[] = []): Progress {
  if (!process.stderr.isTTY && process.env.CONFOUND_PROGRESS !== '1') return { tick() {}, stop() {} };
  const extra = fields.map((f) => `${f} {${f}}`).join(' | ');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label.padEnd(14)} [{bar}] {value}/{total} | {eta_formatted} left${extra ? ' | ' + extra : ''}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, Object.fromEntries(fields.map((f) => [f, '-'])));
  let value = 0;
  return {
    tick(n = 1, payload = {}) {
      value += n;
      bar.update(value, payload);
    },
    stop() {
      bar.stop();
    },
  };
}
