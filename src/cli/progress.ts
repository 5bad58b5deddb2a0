/**
 * Progress of long work on stderr, for a person watching a terminal: one line rewritten in place
 * (which system, which probe, counts), and a short line per finished system. Off when stderr is
 * not a terminal, with `--quiet`, or with `--format json`, so pipes and CI logs get no noise.
 */
import type { ObserveEvents } from '../core/engine.js';

const THROTTLE_MS = 80;

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  enabled: boolean;
}

export function createProgress({ stream, enabled }: ProgressOptions): ObserveEvents & { clear(): void } {
  if (!enabled) return { clear() {} };
  let total = 0;
  let index = 0;
  let system = '';
  let last = 0;
  let visible = false;
  const started = new Map<string, number>();
  const running = new Map<string, string>();
  const render = (force = false) => {
    const now = Date.now();
    if (!force && now - last < THROTTLE_MS) return;
    last = now;
    const parts = [...running.entries()].map(([probe, detail]) => (detail ? `${probe}: ${detail}` : probe));
    const line = `[${index}/${total}] ${system}${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
    const width = Math.max(20, (stream.columns || 100) - 1);
    stream.write(`\r\x1b[2K${truncate(line, width)}`);
    visible = true;
  };
  const clear = () => {
    if (visible) stream.write('\r\x1b[2K');
    visible = false;
  };
  return {
    clear,
    systemStart(name, i, count) {
      system = sanitize(name);
      index = i + 1;
      total = count;
      started.set(name, Date.now());
      running.clear();
      render(true);
    },
    probeStart(_system, probe) {
      running.set(probe, '');
      render();
    },
    probeProgress(_system, probe, message, counts) {
      const detail = counts ? `${message} ${counts.done}${counts.total === undefined ? '' : `/${counts.total}`}` : message;
      running.set(probe, sanitize(detail));
      render();
    },
    probeEnd(_system, probe) {
      running.delete(probe);
      render();
    },
    systemEnd(name, snapshotId, status) {
      clear();
      const seconds = ((Date.now() - (started.get(name) ?? Date.now())) / 1000).toFixed(1);
      stream.write(`${sanitize(name)}: snapshot ${snapshotId.slice(0, 10)} ${status} in ${seconds}s\n`);
    },
  };
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Repository-controlled text must not smuggle escape sequences onto the terminal. */
function sanitize(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
