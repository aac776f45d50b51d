// The helper thread's program: plain JavaScript run with `new Worker(WORKER_SOURCE, { eval: true })`, so that it
// needs no TypeScript loader under tsx, vitest or the built dist/.
//
// It instantiates the gemm module on the shared memory it is given (`workerData`, shared, never transferred),
// sets ctl[ready], then loops: wait until ctl[seq] changes (spinning briefly first, since jobs often come back
// to back); join the job by moving ctl[state] from 0 to 1 (if the main thread already closed it, having done all
// the work itself, skip it); run `gemm` with the 15 arguments in ctl[args ..], claiming row blocks alongside
// the main thread; store the outcome in ctl[status], then publish ctl[done] = ctl[job] and notify. It never returns to its event loop, and the main thread unrefs it, so an idle
// helper costs nothing and never keeps the process alive. Slot numbers are CTL in wasm-runtime.ts.

/** Atomics.load polls before the worker sleeps in Atomics.wait (about 20–50 µs). */
const SPIN = 20000;

export const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, ctlLength } = workerData;
const SEQ = 0, DONE = 1, STATUS = 2, READY = 3, STATE = 4, JOB = 5, ARGS = 6, SPIN = ${SPIN};
const abort = () => { throw new Error('kernels.wasm aborted'); };
const { gemm } = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
const ctl = new Int32Array(memory.buffer, 0, ctlLength);
let seen = workerData.seq;
Atomics.store(ctl, READY, 1);
Atomics.notify(ctl, READY);
for (;;) {
  let s = Atomics.load(ctl, SEQ);
  for (let i = 0; s === seen && i < SPIN; i++) s = Atomics.load(ctl, SEQ);
  while (s === seen) {
    Atomics.wait(ctl, SEQ, seen);
    s = Atomics.load(ctl, SEQ);
  }
  seen = s;
  if (Atomics.compareExchange(ctl, STATE, 0, 1) !== 0) {
    Atomics.store(ctl, DONE, s); // closed: the main thread did all of it
  } else {
    const job = Atomics.load(ctl, JOB); // the job joined (it may be newer than s)
    let status = 0;
    try {
      gemm(ctl[ARGS], ctl[ARGS + 1], ctl[ARGS + 2], ctl[ARGS + 3], ctl[ARGS + 4], ctl[ARGS + 5], ctl[ARGS + 6],
        ctl[ARGS + 7], ctl[ARGS + 8], ctl[ARGS + 9], ctl[ARGS + 10], ctl[ARGS + 11], ctl[ARGS + 12], ctl[ARGS + 13],
        ctl[ARGS + 14]);
    } catch (e) {
      status = 1;
      process.stderr.write('tapegrad gemm worker: ' + (e && e.stack || e) + '\\n');
    }
    Atomics.store(ctl, STATUS, status);
    Atomics.store(ctl, DONE, job);
    seen = job;
  }
  Atomics.notify(ctl, DONE);
}
`;
