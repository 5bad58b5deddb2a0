/**
 * Worker thread of the todo scan: receives batches of paths, answers with their markers. Runs
 * from the compiled dist/ only (see collect.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanBatch, type Batch, type BatchOptions } from './scan-batch.js';

interface Init extends BatchOptions {
  root: string;
}

const init = workerData as Init;
parentPort?.on('message', (batch: Batch) => {
  parentPort?.postMessage(scanBatch(init.root, batch, init));
});
