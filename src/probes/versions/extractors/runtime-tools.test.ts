import { describe, expect, it } from 'vitest';
import { toolComponent } from './runtime-tools.js';

const at = { path: '.tool-versions', line: 1 };

describe('toolComponent', () => {
  it.each([
    ['nodejs', '18.17.0', { name: 'node', product: 'nodejs', cycle: '18' }],
    ['golang', '1.21', { name: 'go', product: 'go', cycle: '1.21' }],
    ['core:python', '3.12', { name: 'python', product: 'python', cycle: '3.12' }],
    ['java', 'temurin-21.0.1+12', { name: 'java', product: 'eclipse-temurin', cycle: '21' }],
    ['java', 'semeru-openj9-17.0.8+7_openj9-0.40.0', { name: 'java', product: 'ibm-semeru', cycle: '17' }],
    ['java', 'adoptopenjdk-11.0.20+8', { name: 'java', product: 'eclipse-temurin', cycle: '11' }],
    ['dotnet-core', '8.0.100', { name: 'dotnet', product: 'dotnet', cycle: '8' }],
    ['postgres', '15.4', { name: 'postgresql', product: 'postgresql', cycle: '15' }],
  ] as const)('%s %s', (tool, value, expected) => {
    expect(toolComponent(tool, value, at)).toMatchObject(expected);
  });

  it('gives nothing for untracked tools, package backends and non-versions', () => {
    expect(toolComponent('shellcheck', '0.9.0', at)).toBeNull();
    expect(toolComponent('npm:prettier', '3', at)).toBeNull();
    expect(toolComponent('nodejs', 'system', at)).toBeNull();
    expect(toolComponent('nodejs', 'ref:v20.x', at)).toBeNull();
    expect(toolComponent('nodejs', 'path:/opt/node', at)).toBeNull();
    expect(toolComponent('nodejs', '1'.repeat(300), at)).toBeNull();
  });

  it('uses the default Java distribution for bare versions', () => {
    expect(toolComponent('java', '21', at, { javaDefault: 'openjdk' })).toMatchObject({ product: 'openjdk-builds-from-oracle', cycle: '21' });
    expect(toolComponent('java', '21', at)).toMatchObject({ product: 'eclipse-temurin', cycle: '21' });
  });
});
