/**
 * Errors a store access can end in, each with a message for the user (the CLI prints it, the API answers it). Kept apart
 * from store.ts and gate.ts so the API can recognise them without loading DuckDB.
 */
import { dirname } from 'node:path';

/** The store file is held by another process; the message says by whom and what to do. */
export class StoreBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number | null,
    readonly wanted: 'read' | 'write',
    hint: string,
  ) {
    super(hint);
  }
}

/** The store file cannot be written (file or folder permissions, read-only medium). Reads still work. */
export class StoreReadOnlyError extends Error {}

/**
 * A write to the store failed and was rolled back: the disk is full, or the file or its folder cannot be written, or
 * another I/O error. The message says what happened and what to do; `cause` is DuckDB's error.
 */
export class StoreWriteError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly reason: 'disk_full' | 'read_only' | 'io',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DISK_FULL_RE = /No space left on device|ENOSPC|disk (is )?full|out of disk space|Disk quota exceeded|EDQUOT/i;
const NOT_WRITABLE_RE = /Permission denied|Read-only file system|EACCES|EROFS|EPERM/i;
const IO_RE = /^IO Error|Could not (write|fsync|truncate|open|create|move|remove)|File too large|EFBIG|Input\/output error|EIO\b/i;

/**
 * A DuckDB write failure as the user should read it (a StoreWriteError), or the error itself when it is not about the
 * disk (a constraint, a bug). Called once a failed transaction has been rolled back, so "nothing was written" holds.
 */
export function storeWriteFailure(path: string, e: unknown): unknown {
  if (e instanceof StoreWriteError || !(e instanceof Error)) return e;
  const msg = e.message;
  const detail = msg.replace(/^(TransactionContext|IO) Error: (Failed to commit: )?/, '');
  const where = path === ':memory:' ? 'the in-memory store' : dirname(path);
  if (DISK_FULL_RE.test(msg)) {
    return new StoreWriteError(path, `the disk holding ${where} is full: nothing was written; free space and retry (${detail})`, 'disk_full', { cause: e });
  }
  if (NOT_WRITABLE_RE.test(msg)) {
    return new StoreWriteError(
      path,
      `the store ${path} cannot be written (${detail}): nothing was written; reading it works, changing it needs write permission on the file and its folder`,
      'read_only',
      { cause: e },
    );
  }
  if (IO_RE.test(msg)) {
    return new StoreWriteError(path, `could not write the store ${path} (${detail}): nothing was written; check the disk and retry`, 'io', { cause: e });
  }
  return e;
}
