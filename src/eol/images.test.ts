import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadEolData } from './data.js';
import { imageComponents, imagePurl, isTemplated, parseImageReference, resolveImage, type ImagePart } from './images.js';

const options = { data: loadEolData(), now: new Date('2026-08-22T00:00:00Z') };

/** `kind name product/cycle version|constraint`, parts joined by ` + `. */
function summary(reference: string): string {
  const resolution = resolveImage(reference, options);
  if (!resolution) return 'invalid';
  return resolution.parts.map((part: ImagePart) => `${part.kind} ${part.name} ${part.product ?? '-'}/${part.cycle ?? '-'} ${part.version !== null ? `=${part.version}` : `~${part.constraint ?? ''}`}`).join(' + ');
}

// Real image references as repositories write them, and what they name.
const TABLE: Array<[string, string]> = [
  ['node:16-buster', 'runtime node nodejs/16 ~16-buster + os debian debian/10 ~buster'],
  ['node:16.20.1-buster', 'runtime node nodejs/16 =16.20.1 + os debian debian/10 ~buster'],
  ['node:18-alpine', 'runtime node nodejs/18 ~18-alpine + os alpine alpine-linux/- ~alpine'],
  ['node:lts-alpine', 'runtime node nodejs/24 ~lts-alpine + os alpine alpine-linux/- ~alpine'],
  ['node:hydrogen-alpine3.18', 'runtime node nodejs/18 ~hydrogen-alpine3.18 + os alpine alpine-linux/3.18 ~alpine3.18'],
  ['node:current-alpine', 'runtime node nodejs/- ~current-alpine + os alpine alpine-linux/- ~alpine'],
  ['node:8-jessie', 'runtime node nodejs/8 ~8-jessie + os debian debian/8 ~jessie'],
  ['node', 'runtime node nodejs/- ~latest'],
  ['node:latest', 'runtime node nodejs/- ~latest'],
  ['python:3.9-alpine3.14', 'runtime python python/3.9 ~3.9-alpine3.14 + os alpine alpine-linux/3.14 ~alpine3.14'],
  ['python:3.11-slim', 'runtime python python/3.11 ~3.11-slim'],
  ['python:3.12-slim-bookworm', 'runtime python python/3.12 ~3.12-slim-bookworm + os debian debian/12 ~bookworm'],
  ['python:2.7-stretch', 'runtime python python/2.7 ~2.7-stretch + os debian debian/9 ~stretch'],
  ['python:3', 'runtime python python/3.14 ~3'],
  ['postgres:11', 'middleware postgres postgresql/11 ~11'],
  ['postgres:9.6.24-alpine', 'middleware postgres postgresql/9.6 =9.6.24 + os alpine alpine-linux/- ~alpine'],
  ['postgres:15-bookworm', 'middleware postgres postgresql/15 ~15-bookworm + os debian debian/12 ~bookworm'],
  ['redis:5.0', 'middleware redis redis/5.0 ~5.0'],
  ['redis:7-alpine', 'middleware redis redis/7.4 ~7-alpine + os alpine alpine-linux/- ~alpine'],
  ['mysql:5.7', 'middleware mysql mysql/5.7 ~5.7'],
  ['mysql:8.0-oracle', 'middleware mysql mysql/8.0 ~8.0-oracle + os oracle-linux oracle-linux/- ~oracle'],
  ['mariadb:10.6-focal', 'middleware mariadb mariadb/10.6 ~10.6-focal + os ubuntu ubuntu/20.04 ~focal'],
  ['mongo:4.4.18-focal', 'middleware mongo mongodb/4.4 =4.4.18 + os ubuntu ubuntu/20.04 ~focal'],
  ['mongo:6.0', 'middleware mongo mongodb/6.0 ~6.0'],
  ['nginx:1.20', 'middleware nginx nginx/1.20 ~1.20'],
  ['nginx:stable-alpine', 'middleware nginx nginx/- ~stable-alpine + os alpine alpine-linux/- ~alpine'],
  ['httpd:2.4', 'middleware httpd apache-http-server/2.4 ~2.4'],
  ['rabbitmq:3.12-management-alpine', 'middleware rabbitmq rabbitmq/3.12 ~3.12-management-alpine + os alpine alpine-linux/- ~alpine'],
  ['memcached:1.6-alpine', 'middleware memcached memcached/1.6 ~1.6-alpine + os alpine alpine-linux/- ~alpine'],
  ['elasticsearch:7.17.10', 'middleware elasticsearch elasticsearch/7 =7.17.10'],
  ['kibana:7.17.0', 'middleware kibana kibana/7 =7.17.0'],
  ['traefik:v2.10', 'middleware traefik traefik/2.10 ~v2.10'],
  ['haproxy:2.8-alpine', 'middleware haproxy haproxy/2.8 ~2.8-alpine + os alpine alpine-linux/- ~alpine'],
  ['zookeeper:3.8', 'middleware zookeeper zookeeper/3.8 ~3.8'],
  ['consul:1.15', 'middleware consul consul/1.15 ~1.15'],
  ['caddy:2.7', 'middleware caddy caddy/2 ~2.7'],
  ['ubuntu:18.04', 'os ubuntu ubuntu/18.04 ~18.04'],
  ['ubuntu:jammy', 'os ubuntu ubuntu/22.04 ~jammy'],
  ['ubuntu:jammy-20230801', 'os ubuntu ubuntu/22.04 ~jammy-20230801'],
  ['debian:bullseye-slim', 'os debian debian/11 ~bullseye-slim'],
  ['debian:10.13', 'os debian debian/10 =10.13'],
  ['alpine:3.18', 'os alpine alpine-linux/3.18 ~3.18'],
  ['alpine:3.14.2', 'os alpine alpine-linux/3.14 =3.14.2'],
  ['alpine:edge', 'os alpine alpine-linux/- ~edge'],
  ['centos:7', 'os centos centos/7 ~7'],
  ['centos:centos7', 'os centos centos/7 ~centos7'],
  ['rockylinux:9', 'os rockylinux rocky-linux/9 ~9'],
  ['almalinux:8', 'os almalinux almalinux/8 ~8'],
  ['amazonlinux:2', 'os amazonlinux amazon-linux/2 ~2'],
  ['fedora:38', 'os fedora fedora/38 ~38'],
  ['quay.io/centos/centos:stream9', 'os quay.io/centos/centos centos-stream/9 ~stream9'],
  ['golang:1.19-bullseye', 'runtime golang go/1.19 ~1.19-bullseye + os debian debian/11 ~bullseye'],
  ['golang:1.21-alpine3.18', 'runtime golang go/1.21 ~1.21-alpine3.18 + os alpine alpine-linux/3.18 ~alpine3.18'],
  ['eclipse-temurin:17-jre-jammy', 'runtime eclipse-temurin eclipse-temurin/17 ~17-jre-jammy + os ubuntu ubuntu/22.04 ~jammy'],
  ['eclipse-temurin:8u382-b05-jre-jammy', 'runtime eclipse-temurin eclipse-temurin/8 ~8u382-b05-jre-jammy + os ubuntu ubuntu/22.04 ~jammy'],
  ['openjdk:11-jre-slim', 'runtime openjdk openjdk-builds-from-oracle/11 ~11-jre-slim'],
  ['amazoncorretto:17-al2023', 'runtime amazoncorretto amazon-corretto/17 ~17-al2023 + os amazon-linux amazon-linux/2023 ~al2023'],
  ['ibm-semeru-runtimes:open-17-jre-jammy', 'runtime ibm-semeru-runtimes ibm-semeru/17 ~open-17-jre-jammy + os ubuntu ubuntu/22.04 ~jammy'],
  ['php:8.1-fpm-alpine', 'runtime php php/8.1 ~8.1-fpm-alpine + os alpine alpine-linux/- ~alpine'],
  ['php:7.4-apache', 'runtime php php/7.4 ~7.4-apache'],
  ['ruby:3.1-slim-bookworm', 'runtime ruby ruby/3.1 ~3.1-slim-bookworm + os debian debian/12 ~bookworm'],
  ['ruby:2.7-buster', 'runtime ruby ruby/2.7 ~2.7-buster + os debian debian/10 ~buster'],
  ['tomcat:9.0-jdk17-temurin-jammy', 'middleware tomcat tomcat/9.0 ~9.0-jdk17-temurin-jammy + os ubuntu ubuntu/22.04 ~jammy + runtime java eclipse-temurin/17 ~jdk17'],
  ['maven:3.9-eclipse-temurin-17', 'middleware maven apache-maven/3.9 ~3.9-eclipse-temurin-17 + runtime java eclipse-temurin/17 ~temurin-17'],
  ['gradle:8.3-jdk17-alpine', 'middleware gradle gradle/8 ~8.3-jdk17-alpine + os alpine alpine-linux/- ~alpine + runtime java eclipse-temurin/17 ~jdk17'],
  ['wordpress:6.3-php8.1-apache', 'middleware wordpress wordpress/6.3 ~6.3-php8.1-apache + runtime php php/8.1 ~php8.1'],
  ['composer:2', 'middleware composer composer/2.10 ~2'],
  ['jenkins/jenkins:lts-jdk17', 'middleware jenkins/jenkins jenkins/2.568 ~lts-jdk17 + runtime java eclipse-temurin/17 ~jdk17'],
  ['jenkins/jenkins:2.426.1-lts-jdk17', 'middleware jenkins/jenkins jenkins/2.426 =2.426.1 + runtime java eclipse-temurin/17 ~jdk17'],
  ['docker:24-dind', 'container-runtime docker docker-engine/24.0 ~24-dind'],
  ['docker:24.0.7-dind', 'container-runtime docker docker-engine/24.0 =24.0.7'],
  ['kindest/node:v1.27.3', 'container-runtime kindest/node kubernetes/1.27 =1.27.3'],
  ['registry.k8s.io/kube-apiserver:v1.28.2', 'container-runtime registry.k8s.io/kube-apiserver kubernetes/1.28 =1.28.2'],
  ['docker.io/library/node:18', 'runtime node nodejs/18 ~18'],
  ['index.docker.io/library/redis:7.2', 'middleware redis redis/7.2 ~7.2'],
  ['public.ecr.aws/docker/library/python:3.11-slim', 'runtime python python/3.11 ~3.11-slim'],
  ['arm64v8/node:18', 'runtime arm64v8/node nodejs/18 ~18'],
  ['bitnami/postgresql:15.4.0-debian-11-r10', 'middleware bitnami/postgresql postgresql/15 =15.4.0 + os debian debian/11 ~debian-11'],
  ['bitnami/redis:7.2', 'middleware bitnami/redis redis/7.2 ~7.2'],
  ['bitnami/kafka:3.5', 'middleware bitnami/kafka apache-kafka/3.5 ~3.5'],
  ['cimg/node:18.17', 'runtime cimg/node nodejs/18 ~18.17'],
  ['cimg/python:3.11.4', 'runtime cimg/python python/3.11 =3.11.4'],
  ['circleci/node:14-browsers', 'runtime circleci/node nodejs/14 ~14-browsers'],
  ['hashicorp/vault:1.14', 'middleware hashicorp/vault hashicorp-vault/1.14 ~1.14'],
  ['grafana/grafana:10.1.0', 'middleware grafana/grafana grafana/10.1 =10.1.0'],
  ['sonarqube:9.9-community', 'middleware sonarqube sonarqube-community/9 ~9.9-community'],
  ['quay.io/keycloak/keycloak:22.0', 'middleware quay.io/keycloak/keycloak keycloak/22.0 ~22.0'],
  ['docker.elastic.co/elasticsearch/elasticsearch:8.9.0', 'middleware docker.elastic.co/elasticsearch/elasticsearch elasticsearch/- =8.9.0'],
  ['mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim', 'runtime mcr.microsoft.com/dotnet/aspnet dotnet/8 ~8.0-bookworm-slim + os debian debian/12 ~bookworm'],
  ['mcr.microsoft.com/dotnet/sdk:6.0', 'runtime mcr.microsoft.com/dotnet/sdk dotnet/6 ~6.0'],
  ['mcr.microsoft.com/mssql/server:2022-latest', 'middleware mcr.microsoft.com/mssql/server mssqlserver/16.0 ~2022-latest'],
  ['mcr.microsoft.com/windows/servercore:ltsc2022', 'os mcr.microsoft.com/windows/servercore windows-server/2022 ~ltsc2022'],
  ['mcr.microsoft.com/devcontainers/typescript-node:1-20-bullseye', 'runtime mcr.microsoft.com/devcontainers/typescript-node nodejs/20 ~1-20-bullseye + os debian debian/11 ~bullseye'],
  ['mcr.microsoft.com/devcontainers/python:3.11', 'runtime mcr.microsoft.com/devcontainers/python python/3.11 ~3.11'],
  ['mcr.microsoft.com/devcontainers/base:jammy', 'os mcr.microsoft.com/devcontainers/base ubuntu/22.04 ~jammy'],
  ['gcr.io/distroless/nodejs20-debian12', 'runtime gcr.io/distroless/nodejs20-debian12 nodejs/20 ~latest + os debian debian/12 ~debian12'],
  ['gcr.io/distroless/static-debian12:nonroot', 'os gcr.io/distroless/static-debian12 debian/12 ~nonroot'],
  ['gcr.io/distroless/java17-debian12', 'runtime gcr.io/distroless/java17-debian12 eclipse-temurin/17 ~latest + os debian debian/12 ~debian12'],
  ['registry.access.redhat.com/ubi9/ubi-minimal:9.2', 'os registry.access.redhat.com/ubi9/ubi-minimal rhel/9 ~9.2'],
  ['registry.access.redhat.com/ubi8/nodejs-18', 'runtime registry.access.redhat.com/ubi8/nodejs-18 nodejs/18 ~latest + os rhel rhel/8 ~ubi8'],
  ['registry.access.redhat.com/ubi8/python-39', 'runtime registry.access.redhat.com/ubi8/python-39 python/3.9 ~latest + os rhel rhel/8 ~ubi8'],
  ['public.ecr.aws/lambda/python:3.11', 'runtime public.ecr.aws/lambda/python python/3.11 ~3.11'],
  ['public.ecr.aws/lambda/provided:al2023', 'middleware public.ecr.aws/lambda/provided -/- ~al2023 + os amazon-linux amazon-linux/2023 ~al2023'],
  ['nvidia/cuda:12.2.0-runtime-ubuntu22.04', 'middleware nvidia/cuda -/- =12.2.0 + os ubuntu ubuntu/22.04 ~ubuntu22.04'],
  ['ghcr.io/org/app:1.2.3', 'middleware ghcr.io/org/app -/- =1.2.3'],
  ['ghcr.io/org/app:1.2', 'middleware ghcr.io/org/app -/- ~1.2'],
  ['localhost:5000/myapp', 'middleware localhost:5000/myapp -/- ~latest'],
  ['busybox:1.36', 'middleware busybox -/- ~1.36'],
  ['postgres@sha256:0123456789abcdef0123456789abcdef', 'middleware postgres postgresql/- ~sha256:0123456789abcdef0123456789abcdef'],
  ['node:18@sha256:0123456789abcdef0123456789abcdef', 'runtime node nodejs/18 ~18'],
  ['Node:18', 'invalid'],
  ['node:18 alpine', 'invalid'],
  ['', 'invalid'],
];

describe('image references → products', () => {
  it('covers at least 60 real references', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
  });
  it.each(TABLE)('%s', (reference, expected) => {
    expect(summary(reference)).toBe(expected);
  });
});

describe('parseImageReference', () => {
  it('splits registry, path, tag and digest', () => {
    expect(parseImageReference('ghcr.io/org/app:1.2@sha256:0123456789abcdef')).toMatchObject({ registry: 'ghcr.io', path: 'org/app', repository: 'ghcr.io/org/app', tag: '1.2', digest: 'sha256:0123456789abcdef' });
    expect(parseImageReference('localhost:5000/app')).toMatchObject({ registry: 'localhost:5000', path: 'app', tag: null });
    expect(parseImageReference('node')).toMatchObject({ registry: null, path: 'library/node', repository: 'node' });
    expect(parseImageReference('docker.io/bitnami/redis:7')).toMatchObject({ registry: null, path: 'bitnami/redis', repository: 'bitnami/redis', tag: '7' });
    expect(parseImageReference('mirror.gcr.io/library/node:18')).toMatchObject({ registry: null, repository: 'node' });
    expect(parseImageReference('node:')).toBeNull();
    expect(parseImageReference('node@sha256:short')).toBeNull();
  });
  it('knows templated values', () => {
    expect(isTemplated('{{ .Values.image }}')).toBe(true);
    expect(isTemplated('${{ matrix.image }}')).toBe(true);
    expect(isTemplated('$IMAGE')).toBe(true);
    expect(isTemplated('node:18')).toBe(false);
  });
});

describe('imageComponents', () => {
  it('gives the image and its OS as two components from one line, with a purl for the image', () => {
    const components = imageComponents('node:16-buster', { path: 'Dockerfile', line: 3 }, options);
    expect(components).toEqual([
      { kind: 'runtime', name: 'node', version: null, constraint: '16-buster', ecosystem: null, direct: true, dev: false, product: 'nodejs', cycle: '16', purl: 'pkg:docker/library/node@16-buster', source: { path: 'Dockerfile', line: 3 } },
      { kind: 'os', name: 'debian', version: null, constraint: 'buster', ecosystem: null, direct: true, dev: false, product: 'debian', cycle: '10', source: { path: 'Dockerfile', line: 3 } },
    ]);
    expect(imageComponents('scratch', { path: 'Dockerfile', line: 1 })).toEqual([]);
    expect(imageComponents('NOT AN IMAGE', { path: 'Dockerfile', line: 1 })).toEqual([]);
  });
  it('forms purls with repository_url off Docker Hub', () => {
    expect(imagePurl(parseImageReference('ghcr.io/org/app:1.2.3')!)).toBe('pkg:docker/org/app@1.2.3?repository_url=ghcr.io');
    expect(imagePurl(parseImageReference('postgres')!)).toBe('pkg:docker/library/postgres');
  });
});

describe('properties', () => {
  const first = fc.stringMatching(/^[a-z0-9]{1,10}(?:[_-][a-z0-9]{1,8}){0,2}$/);
  const component = fc.stringMatching(/^[a-z0-9]{1,10}(?:[._-][a-z0-9]{1,8}){0,2}$/);
  const registry = fc.constantFrom('ghcr.io', 'quay.io', 'localhost:5000', 'registry.example.com:443', 'docker.io', '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
  const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}$/);

  it('parses back generated [registry/]name:tag references', () => {
    fc.assert(
      fc.property(fc.option(registry), first, fc.array(component, { maxLength: 2 }), tag, (host, head, rest, tagText) => {
        const path = [head, ...rest].join('/');
        const reference = `${host === null ? '' : `${host}/`}${path}:${tagText}`;
        const image = parseImageReference(reference);
        expect(image).not.toBeNull();
        expect(image!.tag).toBe(tagText);
        expect(image!.path.endsWith(path)).toBe(true);
        expect(image!.registry).toBe(host === null || host === 'docker.io' ? null : host);
        expect(resolveImage(reference, options)!.parts[0]!.name).toBe(image!.repository);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        resolveImage(text, options);
        imageComponents(text, { path: 'x', line: 1 }, options);
      }),
    );
  });
});
