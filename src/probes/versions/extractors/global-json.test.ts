import { describe, expect, it } from 'vitest';
import { globalJsonExtractor } from './global-json.js';

describe('globalJsonExtractor', () => {
  it('reads sdk.version, with comments', () => {
    const text = '{\n  // pinned SDK\n  "sdk": {\n    "version": "8.0.100",\n    "rollForward": "latestFeature"\n  },\n}\n';
    expect(globalJsonExtractor.fileRequired('global.json')).toBe(true);
    expect(globalJsonExtractor.extract({ path: 'global.json', text })).toEqual({
      components: [{ kind: 'runtime', name: 'dotnet-sdk', version: '8.0.100', ecosystem: null, direct: true, dev: false, product: 'dotnet', cycle: '8', source: { path: 'global.json', line: 4 } }],
      errors: [],
    });
  });

  it('reports malformed files and odd versions', () => {
    expect(globalJsonExtractor.extract({ path: 'global.json', text: '{"sdk": {"version": }}' }).errors[0]).toMatchObject({ line: 1 });
    expect(globalJsonExtractor.extract({ path: 'global.json', text: '{"sdk": {"version": "latest"}}' }).errors).toEqual([{ message: 'sdk.version is not a .NET SDK version', line: 1 }]);
    expect(globalJsonExtractor.extract({ path: 'global.json', text: '{"msbuild-sdks": {}}' })).toEqual({ components: [], errors: [] });
  });
});
