import { describe, expect, it } from 'vitest';
import { requirementsTxtExtractor } from './requirements-txt.js';
import { briefs, extractFixture, only } from './test-support/library.js';

describe('requirements.txt', () => {
  it('wants requirements files by name or folder', () => {
    for (const p of ['requirements.txt', 'requirements-dev.txt', 'api/requirements_test.txt', 'dev-requirements.txt', 'requirements/base.txt', 'x/requirements/prod.txt']) {
      expect(requirementsTxtExtractor.fileRequired(p), p).toBe(true);
    }
    for (const p of ['README.txt', 'requirements.in', 'docs/requirements/x/notes.txt', 'constraints.txt']) {
      expect(requirementsTxtExtractor.fileRequired(p), p).toBe(false);
    }
  });

  it('reads pins, ranges, extras, markers, hashes, continuations; skips options, URLs and paths', () => {
    const r = extractFixture(requirementsTxtExtractor, 'python/requirements.txt.fixture', 'requirements.txt');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'django@4.2.7 direct :2',
      'requests@- (>=2.31,<3) direct :3',
      'psycopg2-binary@2.9.9 direct :4', // the hashes on the continuation lines
      'celery@- (~=5.3.4) direct :7',
      'zope-interface@6.1 direct :11', // === is exact too; name PEP 503-normalised
      'numpy@- (==1.26.*) direct :12', // a wildcard is not a version
      'flask-sqlalchemy@3.1.1 direct :13',
      'pkg-from-url@- direct :14',
      'pillow@- direct :16',
    ]);
    expect(only(r, 'django').purl).toBe('pkg:pypi/django@4.2.7');
    expect(only(r, 'zope-interface').purl).toBe('pkg:pypi/zope-interface@6.1');
  });

  it('pip-compile output: direct only when `via -r` or via the project', () => {
    const r = extractFixture(requirementsTxtExtractor, 'python/requirements-compiled.txt.fixture', 'requirements.txt');
    expect(briefs(r)).toEqual([
      'asgiref@3.7.2 :7',
      'django@4.2.7 direct :11',
      'sqlparse@0.4.4 :14',
      'typing-extensions@4.8.0 direct :17',
      'my-project-dep@1.0.0 direct :22',
    ]);
  });

  it('a dev-named file gives dev components; includes are not followed', () => {
    const r = extractFixture(requirementsTxtExtractor, 'python/requirements-dev.txt.fixture', 'requirements-dev.txt');
    expect(briefs(r)).toEqual(['pytest@7.4.3 direct dev :2', 'black@23.11.0 direct dev :3']);
    const test = requirementsTxtExtractor.extract({ path: 'requirements/test.txt', text: 'pytest==8.0.0\n' });
    expect(test.components[0]?.dev).toBe(true);
    const prod = requirementsTxtExtractor.extract({ path: 'requirements/production.txt', text: 'gunicorn==21.2.0\n' });
    expect(prod.components[0]?.dev).toBe(false);
  });

  it('reports lines it cannot read and goes on; CRLF is fine', () => {
    const r = requirementsTxtExtractor.extract({ path: 'requirements.txt', text: 'flask==3.0.0\r\n!!! what\r\nclick==8.1.7\r\n' });
    expect(briefs(r)).toEqual(['flask@3.0.0 direct :1', 'click@8.1.7 direct :3']);
    expect(r.errors).toEqual([{ message: 'cannot read requirement "!!! what"', line: 2 }]);
  });
});
