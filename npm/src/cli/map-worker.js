// A worker thread of `ledgerbridge map --jobs N`: one Mapper for the run, blocks in, results out in
// the order the blocks came (pool.js relies on it).
import { parentPort, workerData } from "node:worker_threads";
// Each thread compiles the module itself: sharing one compiled in the main thread measured no
// less CPU (1 400 orders, --jobs 2, four runs each).
import { createMapper } from "../entrypoints/node.js";
import { mapBlock } from "./map-block.js";

const mapper = createMapper(workerData.platform, workerData.config);
parentPort.on("message", (message) => {
  if (message === "stats") {
    parentPort.postMessage({ stats: Array.from(mapper.stats()) });
    return;
  }
  const result = mapBlock(mapper, message.bytes, message.whole);
  parentPort.postMessage(result, [result.out.buffer]);
});
