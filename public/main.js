// Loader of the NeuroMOP page. It downloads main.wasm with a progress bar,
// starts it with wasm_exec.js, shows any failure or exit of the Go program
// in the error overlay, shows a notice while the canvas lacks keyboard
// focus, and registers the service worker that keeps the page working
// offline. It also downloads the agent files that the canvas's Save agent
// button exports, and passes the text of a picked or dropped file to
// window.neuromop.importAgent.
//
// The page state is kept in <html data-state>: loading, starting, running
// or error. Messages are written with textContent only, so no text from the
// network or the Go program is ever parsed as HTML. The User Timing mark
// neuromop:compiled records when main.wasm is compiled and instantiated,
// and the Go program sets the marks neuromop:main and neuromop:first-frame,
// see wasm/marks.go.
'use strict';

(() => {
  const root = document.documentElement;
  const loading = document.getElementById('loading');
  const loadingText = document.getElementById('loading-text');
  const progress = document.getElementById('loading-progress');
  const errorBox = document.getElementById('error');
  const errorMessage = document.getElementById('error-message');
  const focusNotice = document.getElementById('focus-notice');
  const agentInput = document.getElementById('agent-file');
  const dropNotice = document.getElementById('drop-notice');

  const wasmURL = 'main.wasm';

  // stderrLines keeps the last lines the Go program wrote to standard
  // error, which hold the message and stack of a panic.
  const stderrLines = [];
  const maxStderrLines = 200;

  // DownloadError is a failed HTTP request, which a second attempt would
  // not fix.
  class DownloadError extends Error {}

  function setState(state) {
    root.dataset.state = state;
    updateFocusNotice();
  }

  // showError fills the error overlay unless it already shows an error,
  // such as the one the Go program wrote before it exited.
  function showError(message) {
    if (root.dataset.state === 'error') {
      return;
    }
    errorMessage.textContent = message;
    errorBox.hidden = false;
    loading.hidden = true;
    setState('error');
  }

  function stderrText() {
    return stderrLines.join('\n').trim();
  }

  // captureStderr routes the Go program's standard error to console.error,
  // where wasm_exec.js would use console.log, and keeps its last lines.
  function captureStderr() {
    const fs = globalThis.fs;
    if (!fs || typeof fs.writeSync !== 'function') {
      return;
    }
    const writeSync = fs.writeSync.bind(fs);
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    fs.writeSync = (fd, buf) => {
      if (fd !== 2) {
        return writeSync(fd, buf);
      }
      pending += decoder.decode(buf, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        console.error(line);
        stderrLines.push(line);
      }
      if (stderrLines.length > maxStderrLines) {
        stderrLines.splice(0, stderrLines.length - maxStderrLines);
      }
      return buf.length;
    };
  }

  function reportProgress(loaded, total) {
    if (total > 0) {
      const fraction = Math.min(loaded / total, 1);
      progress.value = fraction;
      loadingText.textContent = `Loading NeuroMOP… ${Math.round(fraction * 100)} %`;
    } else {
      progress.removeAttribute('value');
      loadingText.textContent = `Loading NeuroMOP… ${(loaded / 1048576).toFixed(1)} MiB`;
    }
  }

  // fetchWithProgress fetches url and returns a response whose body calls
  // onProgress(loaded, total) as bytes arrive. total is 0 when the server
  // sends no Content-Length.
  async function fetchWithProgress(url, onProgress) {
    const response = await fetch(url);
    if (!response.ok) {
      throw new DownloadError(
        `Downloading ${url} failed: HTTP ${response.status} ${response.statusText}.`);
    }
    if (!response.body || typeof TransformStream !== 'function') {
      return response;
    }
    const total = Number(response.headers.get('Content-Length')) || 0;
    let loaded = 0;
    const counter = new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        onProgress(loaded, total);
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  // instantiate compiles url while it downloads where the browser can, and
  // otherwise, or when the server sends the wrong Content-Type, downloads
  // it whole first.
  async function instantiate(url, imports) {
    if (typeof WebAssembly.instantiateStreaming === 'function') {
      try {
        const response = await fetchWithProgress(url, reportProgress);
        const result = await WebAssembly.instantiateStreaming(response, imports);
        return result.instance;
      } catch (err) {
        if (err instanceof DownloadError) {
          throw err;
        }
        console.warn(`WebAssembly.instantiateStreaming failed (${err}); downloading ${url} whole`);
      }
    }
    const response = await fetchWithProgress(url, reportProgress);
    const bytes = await response.arrayBuffer();
    const result = await WebAssembly.instantiate(bytes, imports);
    return result.instance;
  }

  function updateFocusNotice() {
    const canvas = document.querySelector('canvas');
    const focused = canvas !== null && document.activeElement === canvas && document.hasFocus();
    focusNotice.hidden = root.dataset.state !== 'running' || focused;
  }

  function watchFocus() {
    for (const type of ['focusin', 'focusout']) {
      document.addEventListener(type, updateFocusNotice);
    }
    for (const type of ['focus', 'blur']) {
      window.addEventListener(type, updateFocusNotice);
    }
  }

  // watchCrashes shows an overlay for a WebAssembly trap, or for a call into
  // the Go program after it exited. Both reach the page as uncaught errors
  // of an event handler, not through go.run.
  function watchCrashes(go) {
    window.addEventListener('error', (event) => {
      const err = event.error;
      const trap = typeof WebAssembly === 'object' && err instanceof WebAssembly.RuntimeError;
      if (trap || go.exited) {
        showError(`The program crashed: ${err ? err.message : event.message}\n\n${stderrText()}`.trim());
      }
    });
  }

  // downloadText saves text as a file called name, through an object URL
  // that a link with the download attribute opens.
  function downloadText(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has started by the time the click returns, but some
    // browsers read the URL later, so it is revoked after a minute.
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // importFile passes the text of file to window.neuromop.importAgent. Only
  // one byte more than the largest agent file is read, so that importAgent
  // rejects a larger file by its size without the page loading it whole.
  async function importFile(file) {
    const api = window.neuromop;
    if (!api || typeof api.importAgent !== 'function') {
      console.warn(`${file.name} was not loaded: the program has not started yet`);
      return;
    }
    let text;
    try {
      text = await file.slice(0, api.maxAgentFileBytes + 1).text();
    } catch (err) {
      console.error(`Reading ${file.name} failed, so it was not loaded: ${err}`);
      return;
    }
    api.importAgent(text);
  }

  function carriesFiles(event) {
    return event.dataTransfer !== null && Array.from(event.dataTransfer.types).includes('Files');
  }

  // watchAgentFiles connects the canvas's Save agent and Load agent
  // buttons, which the Go program reports as events, to a download and to
  // the file picker, and loads a file dropped anywhere on the page. A drop
  // never opens the file in place of the page, even before the program
  // runs.
  function watchAgentFiles() {
    window.addEventListener('neuromop:save-agent', (event) => {
      downloadText(event.detail.name, event.detail.text);
    });
    window.addEventListener('neuromop:open-agent', () => {
      agentInput.value = '';
      agentInput.click();
    });
    agentInput.addEventListener('change', () => {
      if (agentInput.files.length > 0) {
        importFile(agentInput.files[0]);
      }
    });
    document.addEventListener('dragover', (event) => {
      if (carriesFiles(event)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        dropNotice.hidden = false;
      }
    });
    document.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) {
        dropNotice.hidden = true;
      }
    });
    document.addEventListener('drop', (event) => {
      if (!carriesFiles(event)) {
        return;
      }
      event.preventDefault();
      dropNotice.hidden = true;
      if (event.dataTransfer.files.length > 0) {
        importFile(event.dataTransfer.files[0]);
      }
    });
  }

  function registerServiceWorker() {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) {
      return;
    }
    navigator.serviceWorker.register('sw.js').catch((err) => {
      console.warn(`The service worker was not registered, so the page will not work offline: ${err}`);
    });
  }

  async function start() {
    if (typeof WebAssembly !== 'object') {
      showError('This browser does not support WebAssembly, which NeuroMOP needs.');
      return;
    }
    if (typeof globalThis.Go !== 'function') {
      showError('wasm_exec.js did not load. Build the page with ./build.sh and reload.');
      return;
    }

    const go = new globalThis.Go();
    let exitCode = null;
    go.exit = (code) => {
      exitCode = code;
    };
    captureStderr();
    watchCrashes(go);
    watchFocus();
    watchAgentFiles();
    window.addEventListener('neuromop:ready', () => {
      loading.hidden = true;
      setState('running');
    }, { once: true });

    let instance;
    try {
      instance = await instantiate(wasmURL, go.importObject);
    } catch (err) {
      showError(`NeuroMOP could not be loaded.\n\n${err && err.message ? err.message : err}`);
      return;
    }

    performance.mark('neuromop:compiled');
    setState('starting');
    loadingText.textContent = 'Starting NeuroMOP…';
    progress.removeAttribute('value');
    try {
      await go.run(instance);
    } catch (err) {
      showError(`The program crashed: ${err && err.message ? err.message : err}\n\n${stderrText()}`.trim());
      return;
    }
    const detail = stderrText();
    if (exitCode === 0) {
      showError(`The program exited.\n\n${detail}`.trim());
    } else {
      showError(`The program stopped with exit code ${exitCode}.\n\n${detail}`.trim());
    }
  }

  if (document.readyState === 'complete') {
    registerServiceWorker();
  } else {
    window.addEventListener('load', registerServiceWorker, { once: true });
  }
  start();
})();
