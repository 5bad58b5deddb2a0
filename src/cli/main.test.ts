import { describe, expect, it } from 'vitest';
import { COMMANDS, firstSentence } from './main.js';

describe('the command table', () => {
  it('names each command with the first sentence of its own summary', async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = await entry.load();
      expect(entry.summary, name).toBe(firstSentence(command.spec.summary));
    }
  });
});
