// Training kernels on two threads: this one and a worker share each batch's arrays (shared memory);
// the worker takes the second half of the output rows of every kernel call while this thread does
// the first, then this thread waits for it. Both halves are the serial kernels on disjoint rows, so
// the result is the serial result exactly (the same model for the same seed, on one thread or two).
//
// Control block (Int32, shared): [0] call number (this thread bumps it), [1] operation, [2] n,
// [3] d, [4] call number the worker finished. A new workspace reaches the worker through a message
// port it reads synchronously (it waits in Atomics.wait, so it never runs an event loop).
import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import {
  allocateWorkspace,
  docGradRows,
  type Kernels,
  queryGradRows,
  similarityRows,
  type Workspace,
} from './kernels.ts';

const CALL = 0;
const OP = 1;
const N = 2;
const D = 3;
const DONE = 4;
const Op = { similarities: 1, gradients: 2, workspace: 3, exit: 4 } as const;

/** Kernels that split every call between this thread and one worker thread. */
export function threadKernels(): Kernels {
  const control = new Int32Array(new SharedArrayBuffer(8 * 4));
  const { port1, port2 } = new MessageChannel();
  // Under tsx (npm start, tests, benchmarks) a worker needs tsx registered before it imports TypeScript.
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();
    const m = await import(${JSON.stringify(import.meta.url)}); m.workerLoop();`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: { control, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  let failure: Error | undefined;
  worker.on('error', (e) => {
    failure = e;
  });
  let call = 0;
  const run = (op: number, n: number, d: number) => {
    if (failure) throw failure;
    control[OP] = op;
    control[N] = n;
    control[D] = d;
    Atomics.store(control, CALL, ++call);
    Atomics.notify(control, CALL);
  };
  const wait = () => {
    // A batch's half takes well under a second; a long silence means the worker died (its error event
    // cannot arrive while this thread waits, so the silence itself is the error).
    while (Atomics.load(control, DONE) !== call) {
      if (
        Atomics.wait(control, DONE, call - 1, 30_000) === 'timed-out' &&
        Atomics.load(control, DONE) !== call
      ) {
        throw failure ?? new Error('the training worker stopped answering');
      }
    }
  };
  let current: Workspace | undefined;
  const use = (w: Workspace) => {
    if (w === current) return;
    current = w;
    port1.postMessage(w);
    run(Op.workspace, 0, 0);
    wait();
  };
  return {
    workspace: (n, d) =>
      allocateWorkspace(
        n,
        d,
        (l) => new Float32Array(new SharedArrayBuffer(l * 4)),
        (l) => new Float64Array(new SharedArrayBuffer(l * 8)),
      ),
    similarities(w, n, d) {
      use(w);
      run(Op.similarities, n, d);
      similarityRows(w.q, w.dv, w.g, n, d, 0, n >> 1);
      wait();
    },
    gradients(w, n, d) {
      use(w);
      run(Op.gradients, n, d);
      queryGradRows(w.g, w.dv, w.gq, n, d, 0, n >> 1);
      docGradRows(w.g, w.q, w.gd, n, d, 0, n >> 1);
      wait();
    },
    close() {
      if (!failure) run(Op.exit, 0, 0);
      port1.close();
    },
  };
}

/** The worker's side: waits for a call, runs the second half of its rows, reports it done; until told to exit. */
export function workerLoop(): void {
  const { control, port } = workerData as { control: Int32Array; port: MessagePort };
  let w: Workspace | undefined;
  for (let seen = 0; ; ) {
    Atomics.wait(control, CALL, seen);
    seen = Atomics.load(control, CALL);
    const op = control[OP]!;
    const n = control[N]!;
    const d = control[D]!;
    if (op === Op.exit) break;
    // Typed arrays over shared memory arrive as views of the same memory.
    if (op === Op.workspace) w = receiveMessageOnPort(port)?.message as Workspace;
    else if (w && op === Op.similarities) similarityRows(w.q, w.dv, w.g, n, d, n >> 1, n);
    else if (w && op === Op.gradients) {
      queryGradRows(w.g, w.dv, w.gq, n, d, n >> 1, n);
      docGradRows(w.g, w.q, w.gd, n, d, n >> 1, n);
    }
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
  port.close();
  parentPort?.close();
}
