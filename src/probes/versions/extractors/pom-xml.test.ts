import { describe, expect, it } from 'vitest';
import { pomXmlExtractor } from './pom-xml.js';
import { briefs, extractFixture, only } from './test-support/library.js';

describe('pom.xml', () => {
  it('parent, BOM imports, dependencies with properties and managed versions, test scope', () => {
    const r = extractFixture(pomXmlExtractor, 'java/pom.xml.fixture', 'pom.xml');
    expect(r.errors).toEqual([]);
    expect(briefs({ ...r, components: r.components.filter((c) => c.kind === 'library') })).toEqual([
      'org.springframework.boot:spring-boot-starter-parent@3.1.5 direct :7',
      'org.testcontainers:testcontainers-bom@1.19.1 direct :28',
      'org.springframework.boot:spring-boot-starter-web@- direct :44', // version from the parent POM: unknown here
      'com.google.guava:guava@32.1.3-jre direct :48',
      'com.fasterxml.jackson.core:jackson-databind@2.15.3 direct :53', // from dependencyManagement
      'com.example:demo-common@0.0.1-SNAPSHOT direct :57', // ${project.groupId}, ${project.version}
      'org.apache.commons:commons-lang3@- ([3.12,4.0)) direct :62',
      'org.springframework.boot:spring-boot-starter-test@- direct dev :67',
      'org.testcontainers:postgresql@- (${undefined.version}) direct dev :72',
    ]);
    expect(only(r, 'com.google.guava:guava').purl).toBe('pkg:maven/com.google.guava/guava@32.1.3-jre');
  });

  it('the Java release from the compiler plugin or the properties is a runtime component', () => {
    const boot = extractFixture(pomXmlExtractor, 'java/pom.xml.fixture', 'pom.xml');
    expect(boot.components.filter((c) => c.kind === 'runtime')).toEqual([
      { kind: 'runtime', name: 'java', version: null, constraint: '17', ecosystem: null, direct: true, dev: false, cycle: '17', source: { path: 'pom.xml', line: 85 } },
    ]);
    const legacy = extractFixture(pomXmlExtractor, 'java/pom-legacy.xml.fixture', 'legacy/pom.xml');
    expect(legacy.errors).toEqual([]);
    expect(briefs(legacy)).toEqual(['log4j:log4j@1.2.17 direct :13', 'junit:junit@4.12 direct dev :18', 'java@- (1.8) direct :8']);
    expect(only(legacy, 'java').cycle).toBe('8');
  });

  it('does not expand DOCTYPE entities', () => {
    const text = '<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY x "1.0.0"><!ENTITY xx "&x;&x;&x;&x;">]>\n<project><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>&xx;</version></dependency></dependencies></project>\n';
    const r = pomXmlExtractor.extract({ path: 'pom.xml', text });
    expect(r.components.map((c) => c.version ?? c.constraint)).toEqual(['&xx;']);
  });
});
