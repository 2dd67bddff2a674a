// An independent tus client for TusJsClientIT: the npm tus-js-client, run by node, uploads a file
// to the server. It prints one JSON object per line on stdout; the test reads them.
//
//   node upload.cjs ENDPOINT JWT FILE whole
//   node upload.cjs ENDPOINT JWT FILE interrupt ABORT_AFTER_BYTES
//
// "whole" uploads the file. "interrupt" aborts the upload once ABORT_AFTER_BYTES were sent, prints
// {"event":"aborted","url":...}, waits for a line "resume" on stdin, then resumes the same upload
// with a new Upload given its URL: the client asks the server for its offset (HEAD) and goes on
// from there. Every HEAD's answered offset, every PATCH's offset and every POST is recorded.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const tus = require('tus-js-client');

const [endpoint, jwt, file, mode, abortAfterArg] = process.argv.slice(2);
const abortAfter = Number(abortAfterArg || 0);

function print(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function fail(error) {
  print({ event: 'error', message: String(error && error.stack ? error.stack : error) });
  process.exit(1);
}

// What one Upload did on the wire.
function recorder() {
  const seen = { posts: 0, heads: [], patches: [], fileId: null };
  return {
    seen,
    onBeforeRequest(req) {
      if (req.getMethod() === 'POST') seen.posts++;
      if (req.getMethod() === 'PATCH') seen.patches.push(Number(req.getHeader('Upload-Offset')));
    },
    onAfterResponse(req, res) {
      if (req.getMethod() === 'HEAD') seen.heads.push(Number(res.getHeader('Upload-Offset')));
      const id = res.getHeader('Homelab-File-Id');
      if (id) seen.fileId = id;
    },
  };
}

function options(rec, extra) {
  return Object.assign(
    {
      endpoint,
      headers: { Authorization: 'Bearer ' + jwt },
      metadata: {
        filename: path.basename(file),
        filetype: 'application/octet-stream',
        tags: 'tus-js,node',
      },
      chunkSize: 1024 * 1024,
      retryDelays: [0, 500, 1000],
      onBeforeRequest: rec.onBeforeRequest,
      onAfterResponse: rec.onAfterResponse,
    },
    extra,
  );
}

function whole() {
  const rec = recorder();
  const upload = new tus.Upload(
    fs.createReadStream(file),
    options(rec, {
      onError: fail,
      onSuccess: () => print(Object.assign({ event: 'done', url: upload.url }, rec.seen)),
    }),
  );
  upload.start();
}

function interrupted() {
  const rec = recorder();
  let aborted = false;
  const upload = new tus.Upload(
    fs.createReadStream(file),
    options(rec, {
      retryDelays: null,
      onError: fail,
      onSuccess: () => fail(new Error('finished before it was interrupted')),
      onProgress: (sent) => {
        if (!aborted && sent >= abortAfter) {
          aborted = true;
          upload
            .abort()
            .then(() => {
              print(Object.assign({ event: 'aborted', url: upload.url, sent }, rec.seen));
              waitForResume(upload.url);
            })
            .catch(fail);
        }
      },
    }),
  );
  upload.start();
}

function waitForResume(url) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'resume') return;
    lines.close();
    const rec = recorder();
    const resumed = new tus.Upload(
      fs.createReadStream(file),
      options(rec, {
        uploadUrl: url,
        onError: fail,
        onSuccess: () => print(Object.assign({ event: 'done', url: resumed.url }, rec.seen)),
      }),
    );
    resumed.start();
  });
}

try {
  if (mode === 'whole') whole();
  else if (mode === 'interrupt') interrupted();
  else fail(new Error('mode must be whole or interrupt, not ' + mode));
} catch (e) {
  fail(e);
}
