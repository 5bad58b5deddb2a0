import { describe, expect, it } from 'vitest';
import { javaVersionExtractor } from './java-version.js';

function one(text: string) {
  return javaVersionExtractor.extract({ path: '.java-version', text });
}

describe('javaVersionExtractor', () => {
  it.each([
    ['17', { product: 'eclipse-temurin', cycle: '17', constraint: '17' }],
    ['1.8', { product: 'eclipse-temurin', cycle: '8' }],
    ['17.0.8', { product: 'eclipse-temurin', cycle: '17', version: '17.0.8' }],
    ['temurin64-17.0.8', { product: 'eclipse-temurin', cycle: '17' }],
    ['corretto64-17.0.8.8.1', { product: 'amazon-corretto', cycle: '17' }],
    ['zulu64-11.0.20', { product: 'azul-zulu', cycle: '11' }],
    ['openjdk64-21.0.1', { product: 'openjdk-builds-from-oracle', cycle: '21' }],
    ['oracle64-1.8.0.202', { product: 'oracle-jdk', cycle: '8' }],
  ])('%s', (text, expected) => {
    expect(one(text).components[0]).toMatchObject({ kind: 'runtime', name: 'java', ...expected });
  });

  it('keeps an unknown distribution without product and reports garbage', () => {
    expect(one('jetbrains64-17.0.8').components[0]!.product).toBeUndefined();
    expect(one('seventeen please').errors).toHaveLength(1);
    expect(javaVersionExtractor.fileRequired('.java-version')).toBe(true);
  });
});
