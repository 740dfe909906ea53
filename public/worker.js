// Training worker of the NeuroMOP page. It starts worker.wasm, the
// simulation-only Go program, with wasm_exec.js. The page sends it
// sim.WorkerCommand messages and receives sim.WorkerReport messages, both
// as JSON strings.
//
// Messages that arrive while worker.wasm downloads and compiles are kept in
// self.neuromopPending, which the Go program reads when it starts. A
// failure to start, or an exit of the Go program, is posted to the page as
// an object {failed: message}, so the page can train without the worker.
// While worker.wasm downloads, the worker posts the report {"op": "loading"}
// at most once a second, so the page can tell a slow download from a
// stalled one.
'use strict';

self.neuromopPending = [];
self.onmessage = (event) => {
  self.neuromopPending.push(event.data);
};

function fail(message) {
  self.postMessage({ failed: message });
}

async function fetchFile(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Downloading ${url} failed: HTTP ${response.status} ${response.statusText}.`);
  }
  return withLoadingReports(response);
}

// withLoadingReports returns a response with the body and headers of
// response that posts a loading report at most once a second while the
// body arrives.
function withLoadingReports(response) {
  if (!response.body || typeof ReadableStream !== 'function') {
    return response;
  }
  const reader = response.body.getReader();
  let last = 0;
  const body = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      const now = Date.now();
      if (now - last >= 1000) {
        last = now;
        self.postMessage(JSON.stringify({ op: 'loading' }));
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

// instantiate compiles url while it downloads, and downloads it whole
// first where the browser cannot stream or the server sends the wrong
// Content-Type.
async function instantiate(url, imports) {
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    const response = await fetchFile(url);
    try {
      return (await WebAssembly.instantiateStreaming(response, imports)).instance;
    } catch (err) {
      console.warn(`worker.js: WebAssembly.instantiateStreaming failed (${err}); downloading ${url} whole`);
    }
  }
  const response = await fetchFile(url);
  return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
}

async function start() {
  try {
    importScripts('wasm_exec.js');
  } catch (err) {
    fail(`wasm_exec.js did not load in the training worker: ${err && err.message ? err.message : err}`);
    return;
  }
  const go = new globalThis.Go();
  let exitCode = null;
  go.exit = (code) => {
    exitCode = code;
  };
  let instance;
  try {
    instance = await instantiate('worker.wasm', go.importObject);
  } catch (err) {
    fail(`worker.wasm could not be loaded: ${err && err.message ? err.message : err}`);
    return;
  }
  try {
    await go.run(instance);
  } catch (err) {
    fail(`the training worker crashed: ${err && err.message ? err.message : err}`);
    return;
  }
  fail(`the training worker stopped with exit code ${exitCode}`);
}

start();
