import { describe, expect, it } from 'vitest';
import { loadEolData } from '../../eol/data.js';
import { DISCLOSED_PRODUCTS, productOf } from './products.js';

describe('disclosed products', () => {
  const data = loadEolData();

  it('maps only to products the end-of-life data knows', () => {
    for (const product of [...Object.values(DISCLOSED_PRODUCTS), 'windows-server']) expect(data.products[product], product).toBeDefined();
  });

  it('maps names case-insensitively and keeps the disclosed version', () => {
    expect(productOf({ header: 'server', name: 'nginx', version: '1.18.0', raw: 'nginx/1.18.0' })).toMatchObject({ product: 'nginx', version: '1.18.0', disclosedVersion: '1.18.0' });
    expect(productOf({ header: 'x-powered-by', name: 'PHP', version: '7.4.3', raw: 'PHP/7.4.3' })).toMatchObject({ product: 'php', version: '7.4.3' });
    expect(productOf({ header: 'server', name: 'Apache', version: '2.4.41', raw: 'Apache/2.4.41' })).toMatchObject({ product: 'apache-http-server' });
    expect(productOf({ header: 'server', name: 'gunicorn', version: '20.1.0', raw: 'gunicorn/20.1.0' })).toMatchObject({ product: null, version: '20.1.0' });
  });

  it('judges OpenResty by its nginx core and IIS by its Windows Server release', () => {
    expect(productOf({ header: 'server', name: 'openresty', version: '1.21.4.1', raw: 'openresty/1.21.4.1' })).toMatchObject({ product: 'nginx', version: '1.21.4', disclosedVersion: '1.21.4.1' });
    expect(productOf({ header: 'server', name: 'Microsoft-IIS', version: '8.5', raw: 'Microsoft-IIS/8.5' })).toMatchObject({ product: 'windows-server', version: '2012-r2' });
    expect(productOf({ header: 'server', name: 'Microsoft-IIS', version: '10.0', raw: 'Microsoft-IIS/10.0' })).toMatchObject({ product: null });
    expect(data.products['windows-server']?.cycles.map((c) => c.cycle)).toEqual(expect.arrayContaining(['2003-sp2', '2008-sp2', '2008-r2-sp1', '2012', '2012-r2']));
  });

  it('does not pretend the CLR version of X-AspNet-Version is a .NET Framework release', () => {
    expect(productOf({ header: 'x-aspnet-version', name: 'ASP.NET', version: '4.0.30319', raw: '4.0.30319' })).toMatchObject({ product: null });
  });
});
