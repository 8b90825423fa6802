// Training on two threads: this one and a worker share the model and each batch's arrays (shared
// memory); every operation of a step runs as two parts, the worker's while this thread does its own,
// then this thread waits for it. The parts write disjoint outputs with the serial arithmetic
// (kernels.ts), so the result is the serial result exactly (the same model for the same seed, on one
// thread or two).
//
// Control block (Int32, shared): [0] call number (this thread bumps it), [1] operation, [2] call
// number the worker finished. The state's arrays reach the worker through a message port it reads
// synchronously when they change (it waits in Atomics.wait, so it never runs an event loop).
import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { type Kernels, type Op, runPart, type TrainState } from './kernels.ts';

const CALL = 0;
const OP = 1;
const DONE = 2;
/** Operations of the control block besides those of kernels.ts. */
const STATE = 100;
const EXIT = 101;

/** Kernels that split every operation between this thread and one worker thread. */
export function threadKernels(): Kernels {
  const control = new Int32Array(new SharedArrayBuffer(4 * 4));
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
  const start = (op: number) => {
    if (failure) throw failure;
    control[OP] = op;
    Atomics.store(control, CALL, ++call);
    Atomics.notify(control, CALL);
  };
  const wait = () => {
    // A part takes well under a second; a long silence means the worker died (its error event
    // cannot arrive while this thread waits, so the silence itself is the error).
    while (Atomics.load(control, DONE) !== call) {
      if (Atomics.wait(control, DONE, call - 1, 30_000) === 'timed-out' && Atomics.load(control, DONE) !== call) {
        throw failure ?? new Error('the training worker stopped answering');
      }
    }
  };
  let sent: TrainState | undefined;
  let sentVersion = -1;
  const shared = <T>(make: (b: SharedArrayBuffer, l: number) => T, bytes: number) => (l: number) => make(new SharedArrayBuffer(l * bytes), l);
  return {
    f32: shared((b) => new Float32Array(b), 4),
    f64: shared((b) => new Float64Array(b), 8),
    i32: shared((b) => new Int32Array(b), 4),
    run(op: Op, s: TrainState) {
      if (s !== sent || s.version !== sentVersion) {
        port1.postMessage(s);
        start(STATE);
        wait();
        sent = s;
        sentVersion = s.version;
      }
      start(op);
      runPart(op, s, 0, 2);
      wait();
    },
    close() {
      if (!failure) start(EXIT);
      port1.close();
    },
  };
}

/** The worker's side: waits for a call, runs the second part, reports it done; until told to exit. */
export function workerLoop(): void {
  const { control, port } = workerData as { control: Int32Array; port: MessagePort };
  let s: TrainState | undefined;
  for (let seen = 0; ; ) {
    Atomics.wait(control, CALL, seen);
    seen = Atomics.load(control, CALL);
    const op = control[OP]!;
    if (op === EXIT) break;
    // Typed arrays over shared memory arrive as views of the same memory.
    if (op === STATE) s = receiveMessageOnPort(port)?.message as TrainState;
    else if (s) runPart(op as Op, s, 1, 2);
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
  port.close();
  parentPort?.close();
}
