import { describe, expect, it } from 'vitest';
import { nugetPackagesLockExtractor } from './nuget-packages-lock.js';
import { briefs, extractFixture, only } from './test-support/library.js';

describe('packages.lock.json', () => {
  it('Direct, Transitive and CentralTransitive packages of every framework; projects skipped', () => {
    const r = extractFixture(nugetPackagesLockExtractor, 'dotnet/packages.lock.json.fixture', 'src/App/packages.lock.json');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'Microsoft.Extensions.Logging@8.0.0 direct :5',
      'Newtonsoft.Json@13.0.3 direct :14',
      'Microsoft.Extensions.DependencyInjection.Abstractions@8.0.0 :20',
      'System.Text.Json@8.0.4 :25',
      'System.Runtime.InteropServices@4.3.0 :39',
    ]);
    expect(only(r, 'Newtonsoft.Json').purl).toBe('pkg:nuget/Newtonsoft.Json@13.0.3');
  });
});
