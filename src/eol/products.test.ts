import { describe, expect, it } from 'vitest';
import { loadEolData } from './data.js';
import {
  BITNAMI_PRODUCTS,
  DEFAULT_JAVA_PRODUCT,
  IMAGE_PRODUCTS,
  JAVA_VENDORS,
  javaProductForVendor,
  kindForProduct,
  osForCodename,
  PACKAGE_PRODUCTS,
  packagePurl,
  productForImageRepository,
  productForPackage,
  productForPurl,
  productForRuntime,
  RUNTIME_PRODUCTS,
} from './products.js';

const data = loadEolData();

describe('tables', () => {
  it('name only products that exist in the data', () => {
    const targets = [
      ...Object.values(IMAGE_PRODUCTS),
      ...Object.values(BITNAMI_PRODUCTS),
      ...Object.values(RUNTIME_PRODUCTS),
      ...Object.values(JAVA_VENDORS),
      DEFAULT_JAVA_PRODUCT,
      ...Object.values(PACKAGE_PRODUCTS).flatMap((table) => Object.values(table ?? {})),
    ];
    const missing = [...new Set(targets)].filter((id) => data.products[id] === undefined);
    expect(missing).toEqual([]);
  });
});

describe('productForPurl', () => {
  it.each([
    ['pkg:npm/react', 'react'],
    ['pkg:npm/react@18.2.0', 'react'],
    ['pkg:npm/%40angular/core@17.0.0', 'angular'],
    ['pkg:pypi/django', 'django'],
    ['pkg:pypi/Django', 'django'],
    ['pkg:maven/org.springframework.boot/spring-boot@3.1.0', 'spring-boot'],
    ['pkg:gem/rails', 'ruby-on-rails'],
    ['pkg:composer/laravel/framework', 'laravel'],
    ['pkg:docker/library/postgres', 'postgresql'],
    ['pkg:docker/postgres', 'postgresql'],
    ['pkg:docker/bitnami/redis', 'redis'],
    ['pkg:generic/node', 'nodejs'],
    ['pkg:nuget/Microsoft.NETCore.App', 'dotnet'],
    ['pkg:golang/github.com/hashicorp/consul', 'consul'],
    ['pkg:npm/left-pad', null],
    ['not a purl', null],
  ])('%s → %s', (purl, expected) => {
    expect(productForPurl(purl, data)).toBe(expected);
  });
});

describe('productForPackage', () => {
  it.each([
    ['npm', 'react', 'react'],
    ['npm', '@angular/core', 'angular'],
    ['npm', 'vue', 'vue'],
    ['npm', 'express', 'express'],
    ['npm', 'next', 'nextjs'],
    ['npm', 'nuxt', 'nuxt'],
    ['npm', 'electron', 'electron'],
    ['npm', 'lodash', null],
    ['pypi', 'django', 'django'],
    ['pypi', 'Django', 'django'],
    ['pypi', 'ansible_core', 'ansible-core'],
    ['rubygems', 'rails', 'ruby-on-rails'],
    ['maven', 'org.springframework.boot:spring-boot', 'spring-boot'],
    ['maven', 'org.springframework.boot:spring-boot-starter-web', 'spring-boot'],
    ['maven', 'org.springframework.boot:spring-boot-starter-parent', 'spring-boot'],
    ['maven', 'org.springframework:spring-core', 'spring-framework'],
    ['maven', 'org.apache.tomcat.embed:tomcat-embed-core', 'tomcat'],
    ['packagist', 'laravel/framework', 'laravel'],
    ['packagist', 'symfony/symfony', 'symfony'],
    ['packagist', 'symfony/http-kernel', 'symfony'],
    ['packagist', 'drupal/core', 'drupal'],
    ['nuget', 'Microsoft.NETCore.App', 'dotnet'],
    ['go', 'github.com/gorilla/mux', 'gorilla'],
    ['cargo', 'serde', null],
  ] as const)('%s %s → %s', (ecosystem, name, expected) => {
    expect(productForPackage(ecosystem, name, data)).toBe(expected);
  });

  it('forms purls the way the data writes them', () => {
    expect(packagePurl('npm', '@angular/core')).toEqual({ type: 'npm', namespace: '@angular', name: 'core' });
    expect(packagePurl('maven', 'g:a')).toEqual({ type: 'maven', namespace: 'g', name: 'a' });
    expect(packagePurl('go', 'github.com/a/b/v2')).toEqual({ type: 'golang', namespace: 'github.com/a/b', name: 'v2' });
    expect(packagePurl('npm', ' ')).toBeNull();
  });
});

describe('productForRuntime', () => {
  it.each([
    ['node', 'nodejs'],
    ['nodejs', 'nodejs'],
    ['python', 'python'],
    ['golang', 'go'],
    ['go', 'go'],
    ['ruby', 'ruby'],
    ['java', DEFAULT_JAVA_PRODUCT],
    ['dotnet-core', 'dotnet'],
    ['terraform', 'terraform'],
    ['kotlin', 'kotlin'],
    ['elixir', 'elixir'],
    ['erlang', 'erlang'],
    ['rust', 'rust'],
    ['maven', 'apache-maven'],
    ['k8s', 'kubernetes'],
    ['shellcheck', null],
    ['ubuntu', null],
  ])('%s → %s', (name, expected) => {
    expect(productForRuntime(name, data)).toBe(expected);
  });

  it('maps Java distributions', () => {
    expect(javaProductForVendor('temurin')).toBe('eclipse-temurin');
    expect(javaProductForVendor('zulu')).toBe('azul-zulu');
    expect(javaProductForVendor('corretto')).toBe('amazon-corretto');
    expect(javaProductForVendor('microsoft')).toBe('microsoft-build-of-openjdk');
    expect(javaProductForVendor('adopt')).toBe('eclipse-temurin');
    expect(javaProductForVendor('oracle')).toBe('oracle-jdk');
    expect(javaProductForVendor(null)).toBe(DEFAULT_JAVA_PRODUCT);
    expect(javaProductForVendor('jetbrains')).toBeNull();
  });
});

describe('productForImageRepository', () => {
  it.each([
    ['node', 'nodejs'],
    ['python', 'python'],
    ['golang', 'go'],
    ['eclipse-temurin', 'eclipse-temurin'],
    ['openjdk', 'openjdk-builds-from-oracle'],
    ['amazoncorretto', 'amazon-corretto'],
    ['php', 'php'],
    ['ruby', 'ruby'],
    ['postgres', 'postgresql'],
    ['mysql', 'mysql'],
    ['mariadb', 'mariadb'],
    ['redis', 'redis'],
    ['mongo', 'mongodb'],
    ['rabbitmq', 'rabbitmq'],
    ['memcached', 'memcached'],
    ['nginx', 'nginx'],
    ['httpd', 'apache-http-server'],
    ['ubuntu', 'ubuntu'],
    ['debian', 'debian'],
    ['alpine', 'alpine-linux'],
    ['centos', 'centos'],
    ['rockylinux', 'rocky-linux'],
    ['almalinux', 'almalinux'],
    ['amazonlinux', 'amazon-linux'],
    ['fedora', 'fedora'],
    ['elasticsearch', 'elasticsearch'],
    ['kibana', 'kibana'],
    ['traefik', 'traefik'],
    ['haproxy', 'haproxy'],
    ['tomcat', 'tomcat'],
    ['jenkins/jenkins', 'jenkins'],
    ['bitnami/postgresql', 'postgresql'],
    ['bitnami/redis', 'redis'],
    ['bitnami/kafka', 'apache-kafka'],
    ['bitnami/mongodb', 'mongodb'],
    ['bitnami/php-fpm', 'php'],
    ['cimg/node', 'nodejs'],
    ['cimg/python', 'python'],
    ['cimg/ruby', 'ruby'],
    ['circleci/golang', 'go'],
    ['arm64v8/node', 'nodejs'],
    ['neo4j', 'neo4j'],
    ['sonarqube', 'sonarqube-community'],
    ['grafana/grafana', 'grafana'],
    ['docker.elastic.co/elasticsearch/elasticsearch', 'elasticsearch'],
    ['mcr.microsoft.com/dotnet/sdk', 'dotnet'],
    ['myorg/redis', null],
    ['ghcr.io/org/node', null],
    ['busybox', null],
    ['cimg/base', null],
  ])('%s → %s', (repository, expected) => {
    expect(productForImageRepository(repository, data)).toBe(expected);
  });
});

describe('osForCodename', () => {
  it.each([
    ['buster', 'debian', '10'],
    ['bullseye', 'debian', '11'],
    ['bookworm', 'debian', '12'],
    ['trixie', 'debian', '13'],
    ['stretch', 'debian', '9'],
    ['jessie', 'debian', '8'],
    ['jammy', 'ubuntu', '22.04'],
    ['focal', 'ubuntu', '20.04'],
    ['bionic', 'ubuntu', '18.04'],
    ['noble', 'ubuntu', '24.04'],
    ['xenial', 'ubuntu', '16.04'],
    ['trusty', 'ubuntu', '14.04'],
  ])('%s → %s %s', (word, product, cycle) => {
    expect(osForCodename(word, data)).toEqual({ product, cycle });
  });
  it('ignores other words and very old releases', () => {
    expect(osForCodename('slim', data)).toBeNull();
    expect(osForCodename('bo', data)).toBeNull();
    expect(osForCodename('warty', data)).toBeNull();
  });
});

describe('kindForProduct', () => {
  it.each([
    ['nodejs', 'runtime'],
    ['python', 'runtime'],
    ['dotnet', 'runtime'],
    ['ubuntu', 'os'],
    ['postgresql', 'middleware'],
    ['nginx', 'middleware'],
    ['docker-engine', 'container-runtime'],
    ['kubernetes', 'container-runtime'],
    ['django', 'framework'],
    ['spring-boot', 'framework'],
  ])('%s → %s', (product, kind) => {
    expect(kindForProduct(product, data)).toBe(kind);
  });
});
