import { describe, expect, it } from 'vitest';
import { pyprojectPythonExtractor } from './pyproject-python.js';

describe('pyprojectPythonExtractor', () => {
  it('reads requires-python and the poetry python dependency', () => {
    const text = [
      '[project]',
      'name = "app"',
      'requires-python = ">=3.9"',
      'dependencies = ["django>=4.2"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      'django = "^4.2"',
    ].join('\n');
    expect(pyprojectPythonExtractor.fileRequired('pyproject.toml')).toBe(true);
    expect(pyprojectPythonExtractor.extract({ path: 'pyproject.toml', text })).toEqual({
      components: [
        { kind: 'runtime', name: 'python', version: null, constraint: '>=3.9', ecosystem: null, direct: true, dev: false, product: 'python', cycle: '3.9', source: { path: 'pyproject.toml', line: 3 } },
        { kind: 'runtime', name: 'python', version: null, constraint: '^3.10', ecosystem: null, direct: true, dev: false, product: 'python', cycle: '3.10', source: { path: 'pyproject.toml', line: 7 } },
      ],
      errors: [],
    });
  });

  it('reads a poetry table form and skips "*"', () => {
    const text = '[tool.poetry.dependencies]\npython = { version = ">=3.8,<3.13" }\n';
    expect(pyprojectPythonExtractor.extract({ path: 'pyproject.toml', text }).components[0]).toMatchObject({ constraint: '>=3.8,<3.13', cycle: '3.8', source: { line: 2 } });
    expect(pyprojectPythonExtractor.extract({ path: 'pyproject.toml', text: '[project]\nrequires-python = "*"\n' }).components).toEqual([]);
  });

  it('reports broken TOML and non-string requirements', () => {
    expect(pyprojectPythonExtractor.extract({ path: 'pyproject.toml', text: '[project\n' }).errors[0]!.message).toMatch(/not valid TOML/);
    expect(pyprojectPythonExtractor.extract({ path: 'pyproject.toml', text: '[project]\nrequires-python = 3\n' }).errors).toEqual([{ message: 'project.requires-python is not a version requirement', line: 2 }]);
  });
});
