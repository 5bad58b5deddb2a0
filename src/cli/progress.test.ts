import { describe, expect, it } from 'vitest';
import { useColor } from './context.js';
import { createProgress } from './progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { text: '', isTTY, columns: 60, write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('createProgress', () => {
  it('draws one line in place on a terminal, and a line per finished system', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ stream, enabled: true });
    progress.systemStart!('web', 0, 2);
    progress.probeStart!('web', 'todo');
    progress.probeProgress!('web', 'todo', 'scanning', { done: 10, total: 50 });
    progress.systemEnd!('web', '01ABCDEFGHJK', 'complete');
    expect(stream.text).toContain('\r\x1b[2K[1/2] web');
    expect(stream.text).toMatch(/web: snapshot 01ABCDEFGH complete in \d+\.\ds\n$/);
  });

  it('writes nothing when disabled (not a terminal, --quiet, --format json)', () => {
    const stream = fakeStream(false);
    const progress = createProgress({ stream, enabled: false });
    progress.systemStart?.('web', 0, 1);
    progress.clear();
    expect(stream.text).toBe('');
  });

  it('keeps escape sequences from repository names off the terminal', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ stream, enabled: true });
    progress.systemStart!('evil\x1b]0;title\x07', 0, 1);
    expect(stream.text).not.toContain('\x1b]0');
  });
});

describe('useColor', () => {
  const tty = fakeStream(true);
  it('colours a terminal unless NO_COLOR is set; FORCE_COLOR forces it', () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(fakeStream(false), {})).toBe(false);
    expect(useColor(fakeStream(false), { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: '0' })).toBe(true);
    expect(useColor(tty, { NO_COLOR: '' })).toBe(true);
  });
});
