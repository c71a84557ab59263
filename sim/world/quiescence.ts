/**
 * Calls `then` once every microtask queued so far, and every microtask those queue in turn, has run: once the
 * promise chains a step resumed all wait on new steps.
 *
 * The tick is queued from inside a microtask on purpose. Node runs the nextTick queue before the microtask
 * queue when a callback returns, so a tick queued straight from a step run in a macrotask or a tick would fire
 * before the step's promise chains; queued while the microtask queue drains, it fires only once that queue is
 * empty, from whatever context the step ran in. A full event-loop turn (setImmediate) would wait for the same
 * work at several times the cost per step.
 *
 * This waits for microtasks only: code a step runs may not schedule work with timers, setImmediate or
 * process.nextTick. src/ reaches time only through its ports (test/ports/ports-rule.test.ts), and the sim's
 * run-time code keeps to microtasks too (test/sim/quiescence.test.ts).
 */
export function afterMicrotasks(then: () => void): void {
  // A reaction on a settled promise is a microtask like any other; Node's queueMicrotask would also build an
  // AsyncResource and a bound function for every call.
  void SETTLED.then(() => process.nextTick(then));
}

const SETTLED = Promise.resolve();
