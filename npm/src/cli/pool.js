// `ledgerbridge map --jobs N`: N worker threads, each with its own Mapper (the Node module, opt-level
// 3), map blocks in parallel. Every result is a promise the caller awaits in input order, so the
// output is the same bytes as with one thread.
import { Worker } from "node:worker_threads";

export function mapperPool(jobs, platform, config) {
  const workers = Array.from({ length: jobs }, () => {
    const worker = new Worker(new URL("./map-worker.js", import.meta.url), { workerData: { platform, config } });
    const state = { worker, waiting: [] };
    // A worker answers its messages in order, so its answers settle its promises first to last.
    worker.on("message", (result) => state.waiting.shift()?.resolve(result));
    const fail = (error) => {
      for (const { reject } of state.waiting.splice(0)) reject(error);
      state.failed = error;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`a mapping thread exited (code ${code})`)));
    return state;
  });
  let next = 0;

  const ask = (state, message, transfer) =>
    new Promise((resolve, reject) => {
      if (state.failed) return reject(state.failed);
      state.waiting.push({ resolve, reject });
      state.worker.postMessage(message, transfer);
    });

  return {
    /** Maps a block on the least busy thread: a promise of `mapBlock`'s result. */
    map(bytes, whole) {
      let best = workers[next];
      for (const state of workers) if (state.waiting.length < best.waiting.length) best = state;
      next = (workers.indexOf(best) + 1) % workers.length;
      return ask(best, { bytes, whole }, [bytes.buffer]);
    },
    /** `[mapped, entries, warnings]` over all threads, once their blocks are done. */
    async stats() {
      const all = await Promise.all(workers.map((state) => ask(state, "stats")));
      return all.reduce((sum, { stats }) => sum.map((n, i) => n + stats[i]), [0, 0, 0]);
    },
    async close() {
      for (const state of workers) state.worker.removeAllListeners("exit");
      await Promise.all(workers.map((state) => state.worker.terminate()));
    },
  };
}
