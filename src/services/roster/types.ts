import type { SheetKind } from './sheets';

export interface ImportOptions {
  /** Validate fully and count what would change, then roll back. */
  dryRun?: boolean;
  /** "Now": fixes the import day (link closing) and the year links count from. */
  now?: Date;
  /** Draw a progress bar on stderr (only when stderr is a TTY). */
  progress?: boolean;
}

/** One bad row: `<file or sheet>:<row>: <reason>`. Row 0 means the whole file. */
export interface RowError {
  source: string;
  row: number;
  reason: string;
}

/** A file that cannot be read on (broken CSV quoting): reported as a row error, the import stops. */
export class RosterFileError extends Error {
  constructor(readonly rowError: RowError) {
    super(`${rowError.source}:${rowError.row}: unreadable file`);
    this.name = 'RosterFileError';
  }
}

export interface SheetReport {
  kind: SheetKind;
  /** File name or sheet name as the operator knows it. */
  source: string;
  rows: number;
  /** Entities (villages, units, cadres, households, groups) inserted. */
  created: number;
  /** Entities whose own fields changed. */
  updated: number;
  /** Entities in the file left as they were. */
  unchanged: number;
  /** 联村 / 联户 links opened (new, or moved to another unit or cadre). */
  linksOpened: number;
  /** Links closed (valid_to = import day). */
  linksClosed: number;
  /** Open links whose 联系开始日期 was changed by the file. */
  linksRedated: number;
}

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  /** True when the import changed (or, in a dry run, would change) anything. */
  changed: boolean;
  /** Province, cities, counties and townships created (villages are counted in their sheet). */
  regionsCreated: number;
  sheets: SheetReport[];
  /** Every bad row, in file order; nothing was written when there is one. */
  errors: RowError[];
  elapsedMs: number;
  /** Milliseconds per phase (read, check, apply, applyHouseholds, commit), for operators and the bench. */
  timings: Record<string, number>;
}

export function formatRowError(e: RowError): string {
  return e.row > 0 ? `${e.source}:${e.row}: ${e.reason}` : `${e.source}: ${e.reason}`;
}

export function emptySheetReport(kind: SheetKind, source: string): SheetReport {
  return { kind, source, rows: 0, created: 0, updated: 0, unchanged: 0, linksOpened: 0, linksClosed: 0, linksRedated: 0 };
}
