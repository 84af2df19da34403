/**
 * An intake worker thread (see examine-pool.ts): examines the stored copy the main thread names, one
 * job at a time, and answers with what it found or the error's code and message. Cancels arrive as
 * messages and are seen between pieces of a large file. It counts the jobs it has finished in memory
 * it shares with the main thread (ExamineWorkerData).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isTokenOpsError } from '../../../shared/errors';
import { examineFile } from './examine-file';
import type { ExamineJob, ExamineReply, ExamineWorkerData } from './examine-pool';

const { finished } = workerData as ExamineWorkerData;

const cancelled = new Map<number, { cancelled: boolean }>();

parentPort?.postMessage({ ready: true } satisfies ExamineReply);
parentPort?.on('message', (msg: ExamineJob | { cancel: number }) => {
  if ('cancel' in msg) {
    const token = cancelled.get(msg.cancel);
    if (token) token.cancelled = true;
    return;
  }
  void run(msg);
});

async function run(job: ExamineJob): Promise<void> {
  const cancel = { cancelled: false };
  cancelled.set(job.id, cancel);
  let reply: ExamineReply;
  try {
    reply = {
      id: job.id,
      examined: await examineFile(job.copy, job.relName, cancel, job.bytes && Buffer.from(job.bytes), job.csv),
    };
  } catch (e) {
    const error = isTokenOpsError(e)
      ? { code: e.code, message: e.message }
      : { message: e instanceof Error ? e.message : String(e) };
    reply = { id: job.id, error };
  } finally {
    cancelled.delete(job.id);
  }
  // Counted before the reply: the main thread reads it to post the next job before it reads the reply.
  Atomics.add(finished, 0, 1);
  parentPort?.postMessage(reply);
}
