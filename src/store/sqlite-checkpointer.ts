// WAL checkpoints off the event loop. A checkpoint copies committed WAL frames into the database file and
// syncs it; run by SQLite inside a COMMIT (its default "auto-checkpoint") it would stall every connection the
// receiver serves for the length of an fsync. The store turns that off on its writer and runs PASSIVE
// checkpoints here instead, on a connection of its own in a worker thread, which never blocks the writer.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pause between checkpoints. */
const EVERY_MS = 500;

// The worker is plain CommonJS run from a string, so it works the same from the sources (tests) and dist.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next time */ } };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs: EVERY_MS } });
  worker.unref();
  worker.on('error', () => {
    /* a failed checkpointer only lets the WAL grow until the next start; SQLite stays consistent */
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      worker.ref(); // keep the process alive until the last checkpoint is done
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
    }),
  };
}
