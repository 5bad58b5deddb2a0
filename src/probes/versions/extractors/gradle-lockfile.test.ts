import { describe, expect, it } from 'vitest';
import { gradleLockfileExtractor } from './gradle-lockfile.js';
import { briefs, extractFixture } from './test-support/library.js';

describe('gradle.lockfile', () => {
  it('wants the project, buildscript and legacy per-configuration lockfiles', () => {
    expect(gradleLockfileExtractor.fileRequired('gradle.lockfile')).toBe(true);
    expect(gradleLockfileExtractor.fileRequired('app/buildscript-gradle.lockfile')).toBe(true);
    expect(gradleLockfileExtractor.fileRequired('gradle/dependency-locks/compileClasspath.lockfile')).toBe(true);
    expect(gradleLockfileExtractor.fileRequired('other.lockfile')).toBe(false);
  });

  it('dev when every configuration is a test one', () => {
    const r = extractFixture(gradleLockfileExtractor, 'java/gradle.lockfile.fixture', 'gradle.lockfile');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'com.fasterxml.jackson.core:jackson-annotations@2.15.3 :4',
      'com.google.guava:failureaccess@1.0.1 :5',
      'com.google.guava:guava@32.1.3-jre :6',
      'junit:junit@4.13.2 dev :7',
      'org.hamcrest:hamcrest-core@1.3 dev :8',
    ]);
    expect(r.components[2]?.purl).toBe('pkg:maven/com.google.guava/guava@32.1.3-jre');
  });

  it('legacy per-configuration files and the buildscript lockfile', () => {
    const legacy = gradleLockfileExtractor.extract({ path: 'gradle/dependency-locks/testRuntimeClasspath.lockfile', text: '# comment\njunit:junit:4.13.2\n' });
    expect(briefs(legacy)).toEqual(['junit:junit@4.13.2 dev :2']);
    const buildscript = gradleLockfileExtractor.extract({ path: 'buildscript-gradle.lockfile', text: 'org.jetbrains.kotlin:kotlin-gradle-plugin:1.9.20=classpath\n' });
    expect(briefs(buildscript)).toEqual(['org.jetbrains.kotlin:kotlin-gradle-plugin@1.9.20 dev :1']);
  });
});
