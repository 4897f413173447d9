import cliProgress from 'cli-progress';

/** Rows processed, drawn on stderr only when asked for and stderr is a terminal. */
export interface Progress {
  bytes(n: number): void;
  row(): void;
  stop(): void;
}

const SILENT: Progress = { bytes: () => undefined, row: () => undefined, stop: () => undefined };

/** Redraws at most this often, in milliseconds, so the bar costs nothing measurable. */
const REDRAW_MS = 200;

export function createProgress(enabled: boolean, totalBytes: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    { stream, format: '花名册 [{bar}] {percentage}% | {rows} 行', fps: 1000 / REDRAW_MS, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let bytes = 0;
  let rows = 0;
  let last = 0;
  bar.start(Math.max(totalBytes, 1), 0, { rows: 0 });
  return {
    bytes(n) {
      bytes += n;
    },
    row() {
      rows++;
      const now = Date.now();
      if (now - last >= REDRAW_MS) {
        last = now;
        bar.update(Math.min(bytes, totalBytes), { rows });
      }
    },
    stop() {
      bar.update(totalBytes, { rows });
      bar.stop();
    },
  };
}
