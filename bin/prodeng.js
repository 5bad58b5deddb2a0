#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the `prepare` script).
// The version check comes first, with no imports that need a newer Node, so an old runtime gets a
// sentence instead of a stack trace.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `prodeng needs Node.js 22.13 or newer (this is ${process.versions.node}).\n` +
      'Run it with `npx prodeng` inside a checkout after `npm ci` (that uses the pinned Node 24), or upgrade Node.js.\n',
  );
  process.exit(2);
}

// `prodeng report | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Cache compiled code between runs (Node ≥ 22.1): a CLI started many times a day starts faster.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// One bundled file starts several times faster than hundreds of ES modules.
const { main } = await import('../dist/bundle/main.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`prodeng: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 70;
  },
);
