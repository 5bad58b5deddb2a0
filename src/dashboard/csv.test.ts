import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';

describe('csv', () => {
  it('quotes what RFC 4180 needs quoted', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'two\nlines', 1.5, null, true]])).toBe('a,"b,c","say ""hi""","two\nlines",1.5,,true\r\n');
    expect(toCsv([])).toBe('');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('keeps repository text from becoming a spreadsheet formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });
});
