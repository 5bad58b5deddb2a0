/**
 * Which endoflife.date product a component is. Packages map through the purl identifiers the data
 * carries (`pkg:npm/react`, `pkg:pypi/django`, `pkg:maven/org.springframework.boot/spring-boot`,
 * `pkg:docker/library/postgres`…) and, where the data has none, through the tables below; runtime
 * and tool names (`.tool-versions`, `mise.toml`, CI setup actions) and container image names have
 * their own tables. Every product id in a table exists in the data (a test checks).
 */
import type { ComponentKind, Ecosystem } from '../probes/versions/model.js';
import { activeEolData, type EolData } from './data.js';
import { parsePurl, type ParsedPurl } from './purl.js';
import { compareNumeric } from './verdict.js';

/** Package names the data has no purl for, by ecosystem (names as the ecosystem writes them). */
export const PACKAGE_PRODUCTS: Readonly<Partial<Record<Ecosystem, Readonly<Record<string, string>>>>> = {
  npm: {
    electron: 'electron',
  },
  pypi: {
    'ansible-core': 'ansible-core',
    'dbt-core': 'dbt-core',
    plone: 'plone',
    'products-cmfplone': 'plone',
    pyspark: 'apache-spark',
  },
  rubygems: {
    jekyll: 'jekyll',
    puppet: 'puppet',
    chef: 'chef-infra-client',
  },
  packagist: {
    'symfony/symfony': 'symfony',
    'symfony/framework-bundle': 'symfony',
    'symfony/http-kernel': 'symfony',
    'cakephp/cakephp': 'cakephp',
    'magento/product-community-edition': 'magento',
    'shopware/core': 'shopware',
    'craftcms/cms': 'craft-cms',
    'contao/core-bundle': 'contao',
    'typo3/cms-core': 'typo3',
    'getkirby/cms': 'kirby',
    'twig/twig': 'twig',
    'drupal/core-recommended': 'drupal',
    'silverstripe/framework': 'silverstripe',
  },
  maven: {
    'org.springframework.boot:spring-boot-starter-parent': 'spring-boot',
    'org.springframework.boot:spring-boot-dependencies': 'spring-boot',
    'io.quarkus:quarkus-core': 'quarkus-framework',
    'io.quarkus:quarkus-bom': 'quarkus-framework',
    'io.dropwizard:dropwizard-core': 'dropwizard',
    'org.apache.logging.log4j:log4j-api': 'log4j',
    'org.apache.tomcat.embed:tomcat-embed-core': 'tomcat',
    'org.liquibase:liquibase-core': 'liquibase',
    'org.apache.camel:camel-core': 'apache-camel',
    'org.apache.lucene:lucene-core': 'apache-lucene',
    'org.jetbrains.kotlin:kotlin-stdlib': 'kotlin',
    'org.scala-lang:scala-library': 'scala',
  },
  nuget: {
    'umbraco.cms': 'umbraco',
  },
};

/** Runtime and tool names (asdf/mise plugins, CI setup actions, `runtime.txt`) → product. */
export const RUNTIME_PRODUCTS: Readonly<Record<string, string>> = {
  node: 'nodejs',
  nodejs: 'nodejs',
  python: 'python',
  python3: 'python',
  cpython: 'python',
  go: 'go',
  golang: 'go',
  ruby: 'ruby',
  jruby: 'jruby',
  php: 'php',
  perl: 'perl',
  rust: 'rust',
  dotnet: 'dotnet',
  'dotnet-core': 'dotnet',
  'dotnet-sdk': 'dotnet',
  deno: 'deno',
  bun: 'bun',
  elixir: 'elixir',
  erlang: 'erlang',
  kotlin: 'kotlin',
  scala: 'scala',
  lua: 'lua',
  julia: 'julia',
  ghc: 'ghc',
  haskell: 'ghc',
  gleam: 'gleam',
  groovy: 'apache-groovy',
  powershell: 'powershell',
  terraform: 'terraform',
  opentofu: 'opentofu',
  gradle: 'gradle',
  maven: 'apache-maven',
  yarn: 'yarn',
  pnpm: 'pnpm',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  redis: 'redis',
  mongodb: 'mongodb',
  ansible: 'ansible',
  'ansible-core': 'ansible-core',
  bazel: 'bazel',
  consul: 'consul',
  nomad: 'nomad',
  vault: 'hashicorp-vault',
  packer: 'hashicorp-packer',
};

/** Java distributions (setup-java `distribution`, asdf/mise/jenv/sdkman prefixes) → product. */
export const JAVA_VENDORS: Readonly<Record<string, string>> = {
  temurin: 'eclipse-temurin',
  'eclipse-temurin': 'eclipse-temurin',
  adoptium: 'eclipse-temurin',
  adopt: 'eclipse-temurin',
  'adopt-hotspot': 'eclipse-temurin',
  adoptopenjdk: 'eclipse-temurin',
  'adoptopenjdk-hotspot': 'eclipse-temurin',
  tem: 'eclipse-temurin',
  'adopt-openj9': 'ibm-semeru',
  semeru: 'ibm-semeru',
  'ibm-semeru': 'ibm-semeru',
  sem: 'ibm-semeru',
  zulu: 'azul-zulu',
  azul: 'azul-zulu',
  corretto: 'amazon-corretto',
  amzn: 'amazon-corretto',
  'amazon-corretto': 'amazon-corretto',
  liberica: 'bellsoft-liberica',
  librca: 'bellsoft-liberica',
  microsoft: 'microsoft-build-of-openjdk',
  ms: 'microsoft-build-of-openjdk',
  oracle: 'oracle-jdk',
  openjdk: 'openjdk-builds-from-oracle',
  'oracle-openjdk': 'openjdk-builds-from-oracle',
  sapmachine: 'sapmachine',
  sapmchn: 'sapmachine',
  dragonwell: 'alibaba-dragonwell',
  graalvm: 'graalvm-ce',
  'graalvm-community': 'graalvm-ce',
  graalce: 'graalvm-ce',
  'oracle-graalvm': 'oracle-graalvm',
  graal: 'oracle-graalvm',
  mandrel: 'mandrel',
  mandrl: 'mandrel',
  redhat: 'red-hat-build-of-openjdk',
  'red-hat': 'red-hat-build-of-openjdk',
};

/** The product for Java when the distribution is not stated (`.java-version` `17`, `jdk17` in a tag). */
export const DEFAULT_JAVA_PRODUCT = 'eclipse-temurin';

/**
 * Container image repositories → product, keyed by the normalized repository: Docker Hub official
 * images by bare name (`node`), other Hub images as `namespace/name`, other registries with the
 * host (`mcr.microsoft.com/dotnet/sdk`). Images the data lists as `pkg:docker/…` purls map without
 * an entry here; for `bitnami/*`, `cimg/*`, `circleci/*` and architecture namespaces
 * (`arm64v8/*`…) the bare name is looked up.
 */
export const IMAGE_PRODUCTS: Readonly<Record<string, string>> = {
  // Runtimes
  node: 'nodejs',
  python: 'python',
  golang: 'go',
  'eclipse-temurin': 'eclipse-temurin',
  openjdk: 'openjdk-builds-from-oracle',
  amazoncorretto: 'amazon-corretto',
  'ibm-semeru-runtimes': 'ibm-semeru',
  sapmachine: 'sapmachine',
  php: 'php',
  ruby: 'ruby',
  jruby: 'jruby',
  perl: 'perl',
  rust: 'rust',
  erlang: 'erlang',
  elixir: 'elixir',
  julia: 'julia',
  haskell: 'ghc',
  groovy: 'apache-groovy',
  'denoland/deno': 'deno',
  'oven/bun': 'bun',
  'mcr.microsoft.com/dotnet/sdk': 'dotnet',
  'mcr.microsoft.com/dotnet/aspnet': 'dotnet',
  'mcr.microsoft.com/dotnet/runtime': 'dotnet',
  'mcr.microsoft.com/dotnet/runtime-deps': 'dotnet',
  'mcr.microsoft.com/dotnet/core/sdk': 'dotnet',
  'mcr.microsoft.com/dotnet/core/aspnet': 'dotnet',
  'mcr.microsoft.com/dotnet/core/runtime': 'dotnet',
  'mcr.microsoft.com/openjdk/jdk': 'microsoft-build-of-openjdk',
  'amazon/aws-lambda-nodejs': 'nodejs',
  'amazon/aws-lambda-python': 'python',
  'amazon/aws-lambda-ruby': 'ruby',
  'amazon/aws-lambda-java': 'amazon-corretto',
  'amazon/aws-lambda-dotnet': 'dotnet',
  'public.ecr.aws/lambda/nodejs': 'nodejs',
  'public.ecr.aws/lambda/python': 'python',
  'public.ecr.aws/lambda/ruby': 'ruby',
  'public.ecr.aws/lambda/java': 'amazon-corretto',
  'public.ecr.aws/lambda/dotnet': 'dotnet',
  // Build tools
  gradle: 'gradle',
  maven: 'apache-maven',
  composer: 'composer',
  // Databases, caches, queues, servers
  postgres: 'postgresql',
  mysql: 'mysql',
  'mysql/mysql-server': 'mysql',
  mariadb: 'mariadb',
  redis: 'redis',
  'redis/redis-stack-server': 'redis',
  mongo: 'mongodb',
  'mongodb/mongodb-community-server': 'mongodb',
  rabbitmq: 'rabbitmq',
  memcached: 'memcached',
  cassandra: 'apache-cassandra',
  'apache/kafka': 'apache-kafka',
  kafka: 'apache-kafka',
  nginx: 'nginx',
  'nginxinc/nginx-unprivileged': 'nginx',
  httpd: 'apache-http-server',
  tomcat: 'tomcat',
  jetty: 'eclipse-jetty',
  traefik: 'traefik',
  haproxy: 'haproxy',
  'haproxytech/haproxy-alpine': 'haproxy',
  'haproxytech/haproxy-debian': 'haproxy',
  caddy: 'caddy',
  elasticsearch: 'elasticsearch',
  kibana: 'kibana',
  logstash: 'logstash',
  'docker.elastic.co/elasticsearch/elasticsearch': 'elasticsearch',
  'docker.elastic.co/kibana/kibana': 'kibana',
  'docker.elastic.co/logstash/logstash': 'logstash',
  'docker.elastic.co/beats/filebeat': 'beats',
  'docker.elastic.co/beats/metricbeat': 'beats',
  'opensearchproject/opensearch': 'opensearch',
  solr: 'solr',
  zookeeper: 'zookeeper',
  consul: 'consul',
  'hashicorp/consul': 'consul',
  vault: 'hashicorp-vault',
  'hashicorp/vault': 'hashicorp-vault',
  'hashicorp/terraform': 'terraform',
  'hashicorp/nomad': 'nomad',
  'mcr.microsoft.com/mssql/server': 'mssqlserver',
  'clickhouse/clickhouse-server': 'clickhouse',
  'yandex/clickhouse-server': 'clickhouse',
  'cockroachdb/cockroach': 'cockroachdb',
  'influxdb': 'influxdb',
  'grafana/grafana': 'grafana',
  'grafana/grafana-oss': 'grafana',
  'grafana/grafana-enterprise': 'grafana',
  'quay.io/keycloak/keycloak': 'keycloak',
  'jboss/keycloak': 'keycloak',
  'keycloak/keycloak': 'keycloak',
  sonarqube: 'sonarqube-community',
  'sonatype/nexus3': 'nexus',
  jenkins: 'jenkins',
  'jenkins/jenkins': 'jenkins',
  'jenkins/inbound-agent': 'jenkins',
  'gitlab/gitlab-ce': 'gitlab',
  'gitlab/gitlab-ee': 'gitlab',
  'gitlab/gitlab-runner': 'gitlab-runner',
  'mattermost/mattermost-team-edition': 'mattermost',
  'mattermost/mattermost-enterprise-edition': 'mattermost',
  'rocket.chat': 'rocket-chat',
  'rocketchat/rocket.chat': 'rocket-chat',
  kong: 'kong-gateway',
  'kong/kong-gateway': 'kong-gateway',
  'envoyproxy/envoy': 'envoy',
  // Applications
  wordpress: 'wordpress',
  drupal: 'drupal',
  joomla: 'joomla',
  nextcloud: 'nextcloud',
  matomo: 'matomo',
  redmine: 'redmine',
  mediawiki: 'mediawiki',
  // Container runtimes and Kubernetes
  docker: 'docker-engine',
  'kindest/node': 'kubernetes',
  'rancher/k3s': 'kubernetes',
  'registry.k8s.io/kube-apiserver': 'kubernetes',
  'registry.k8s.io/kube-controller-manager': 'kubernetes',
  'registry.k8s.io/kube-scheduler': 'kubernetes',
  'registry.k8s.io/kube-proxy': 'kubernetes',
  'k8s.gcr.io/kube-apiserver': 'kubernetes',
  'k8s.gcr.io/kube-proxy': 'kubernetes',
  'registry.k8s.io/etcd': 'etcd',
  'quay.io/coreos/etcd': 'etcd',
  'quay.io/argoproj/argocd': 'argo-cd',
  // Operating systems
  ubuntu: 'ubuntu',
  debian: 'debian',
  alpine: 'alpine-linux',
  centos: 'centos',
  'quay.io/centos/centos': 'centos-stream',
  rockylinux: 'rocky-linux',
  'rockylinux/rockylinux': 'rocky-linux',
  almalinux: 'almalinux',
  amazonlinux: 'amazon-linux',
  fedora: 'fedora',
  'registry.fedoraproject.org/fedora': 'fedora',
  oraclelinux: 'oracle-linux',
  'opensuse/leap': 'opensuse',
  'registry.opensuse.org/opensuse/leap': 'opensuse',
  photon: 'vmware-photon',
  'mcr.microsoft.com/windows/servercore': 'windows-server',
  'mcr.microsoft.com/windows/server': 'windows-server',
  'mcr.microsoft.com/windows/nanoserver': 'windows-nano-server',
};

/** Bitnami names that differ from the official image or product name. */
export const BITNAMI_PRODUCTS: Readonly<Record<string, string>> = {
  postgresql: 'postgresql',
  'postgresql-repmgr': 'postgresql',
  kafka: 'apache-kafka',
  'php-fpm': 'php',
  cassandra: 'apache-cassandra',
  'redis-cluster': 'redis',
  'redis-sentinel': 'redis',
  'mongodb-sharded': 'mongodb',
  'dotnet-sdk': 'dotnet',
  'aspnet-core': 'dotnet',
  rails: 'ruby-on-rails',
  vault: 'hashicorp-vault',
  spark: 'apache-spark',
  apache: 'apache-http-server',
};

/** Namespaces that republish official images under the same name. */
const MIRROR_NAMESPACES = new Set([
  'library',
  'bitnami',
  'cimg',
  'circleci',
  'ubuntu',
  'rapidfort',
  'amd64',
  'arm64v8',
  'arm32v7',
  'arm32v6',
  'arm32v5',
  'i386',
  'ppc64le',
  's390x',
  'riscv64',
  'mips64le',
  'windows-amd64',
]);

/** Components whose product is a container runtime or orchestrator. */
const CONTAINER_RUNTIMES = new Set(['docker-engine', 'containerd', 'podman', 'kubernetes']);
/** Products endoflife.date files as frameworks that are runtimes. */
const RUNTIME_FRAMEWORKS = new Set(['nodejs', 'deno', 'bun', 'dotnet', 'dotnetfx']);

interface Index {
  purls: Map<string, string>;
  names: Map<string, string>;
  osCodenames: Map<string, { product: string; cycle: string }>;
}

const indexes = new WeakMap<EolData, Index>();

function normalizeName(type: string, name: string): string {
  const lower = name.toLowerCase();
  return type === 'pypi' ? lower.replace(/[-_.]+/g, '-') : lower;
}

function purlKey(purl: Pick<ParsedPurl, 'type' | 'namespace' | 'name'>): string {
  const type = purl.type.toLowerCase();
  const namespace = purl.namespace ? `${purl.namespace.toLowerCase()}/` : '';
  return `${type}:${namespace}${normalizeName(type, purl.name)}`;
}

function indexFor(data: EolData): Index {
  let index = indexes.get(data);
  if (index) return index;
  index = { purls: new Map(), names: new Map(), osCodenames: new Map() };
  for (const [id, product] of Object.entries(data.products)) {
    for (const purl of product.purls ?? []) {
      const key = purlKey(purl);
      if (!index.purls.has(key)) index.purls.set(key, id);
    }
    index.names.set(id, id);
  }
  for (const [id, product] of Object.entries(data.products)) {
    for (const alias of product.aliases ?? []) if (!index.names.has(alias)) index.names.set(alias, id);
  }
  // Debian and Ubuntu codenames as image tags and runner labels write them (`buster`, `jammy`).
  const oldest: Record<string, string> = { debian: '7', ubuntu: '12.04' };
  for (const [product, since] of Object.entries(oldest)) {
    for (const entry of data.products[product]?.cycles ?? []) {
      const word = entry.codename?.toLowerCase().split(/\s+/)[0];
      if (!word || compareNumeric(entry.cycle, since) < 0) continue;
      if (!index.osCodenames.has(word)) index.osCodenames.set(word, { product, cycle: entry.cycle });
    }
  }
  indexes.set(data, index);
  return index;
}

/** The product a purl identifies (`pkg:npm/react@18.2.0` → react), ignoring version and qualifiers. */
export function productForPurl(purl: string | ParsedPurl, data: EolData = activeEolData()): string | null {
  const parsed = typeof purl === 'string' ? parsePurl(purl) : purl;
  if (!parsed) return null;
  const index = indexFor(data);
  const direct = index.purls.get(purlKey(parsed));
  if (direct) return direct;
  if (parsed.type === 'docker') {
    // `pkg:docker/postgres` is the official image `library/postgres`, and vice versa.
    const alternative = parsed.namespace === undefined ? { ...parsed, namespace: 'library' } : parsed.namespace === 'library' ? { type: 'docker', name: parsed.name } : null;
    if (alternative) return index.purls.get(purlKey(alternative)) ?? null;
  }
  return null;
}

/** The purl type of an ecosystem. */
export const PURL_TYPE: Readonly<Record<Ecosystem, string>> = {
  npm: 'npm',
  pypi: 'pypi',
  go: 'golang',
  cargo: 'cargo',
  rubygems: 'gem',
  packagist: 'composer',
  maven: 'maven',
  nuget: 'nuget',
};

/** A package as a purl (without version): `@angular/core` → npm `@angular`/`core`, `g:a` → maven `g`/`a`. */
export function packagePurl(ecosystem: Ecosystem, name: string): ParsedPurl | null {
  const type = PURL_TYPE[ecosystem];
  const trimmed = name.trim();
  if (trimmed === '') return null;
  let parts: string[];
  if (ecosystem === 'maven') parts = trimmed.split(/[:/]/);
  else if (ecosystem === 'npm' || ecosystem === 'packagist' || ecosystem === 'go') parts = trimmed.split('/');
  else parts = [trimmed];
  parts = parts.filter((part) => part !== '');
  const last = parts.pop();
  if (!last) return null;
  return parts.length > 0 ? { type, namespace: parts.join('/'), name: last } : { type, name: last };
}

/**
 * The product a package is (frameworks and the few libraries endoflife.date tracks): through the
 * data's purls, then {@link PACKAGE_PRODUCTS}. `django` (pypi) → django, `rails` (rubygems) →
 * ruby-on-rails, `org.springframework.boot:spring-boot` (maven) → spring-boot.
 */
export function productForPackage(ecosystem: Ecosystem, name: string, data: EolData = activeEolData()): string | null {
  const purl = packagePurl(ecosystem, name);
  if (!purl) return null;
  const viaPurl = productForPurl(purl, data);
  if (viaPurl) return viaPurl;
  const table = PACKAGE_PRODUCTS[ecosystem];
  if (!table) return null;
  const key = ecosystem === 'pypi' ? normalizeName('pypi', name) : ecosystem === 'nuget' ? name.toLowerCase() : name;
  const id = Object.hasOwn(table, key) ? table[key]! : null;
  return id !== null && Object.hasOwn(data.products, id) ? id : null;
}

/** A runtime or tool name (`node`, `golang`, `dotnet-core`, `terraform`) → product, else the data's id or alias. */
export function productForRuntime(name: string, data: EolData = activeEolData()): string | null {
  const key = name.trim().toLowerCase();
  if (Object.hasOwn(RUNTIME_PRODUCTS, key)) return RUNTIME_PRODUCTS[key]!;
  if (key === 'java') return DEFAULT_JAVA_PRODUCT;
  const id = indexFor(data).names.get(key);
  if (!id) return null;
  // Only things a version file or CI step can pin: languages, runtimes, tools, servers.
  const category = data.products[id]?.category;
  return category === 'os' || category === 'service' || category === 'standard' ? null : id;
}

/** A Java distribution name (`temurin`, `zulu`, `corretto`…) → product; no vendor → {@link DEFAULT_JAVA_PRODUCT}; unknown → null. */
export function javaProductForVendor(vendor: string | null | undefined): string | null {
  if (vendor === null || vendor === undefined || vendor.trim() === '') return DEFAULT_JAVA_PRODUCT;
  const key = vendor.trim().toLowerCase();
  return Object.hasOwn(JAVA_VENDORS, key) ? JAVA_VENDORS[key]! : null;
}

/**
 * The product of a normalized image repository (see {@link IMAGE_PRODUCTS}): the table, then the
 * data's `pkg:docker` purls, then, for official images and mirror namespaces, the bare name as a
 * product id or alias.
 */
export function productForImageRepository(repository: string, data: EolData = activeEolData()): string | null {
  const path = repository.toLowerCase();
  if (Object.hasOwn(IMAGE_PRODUCTS, path)) return IMAGE_PRODUCTS[path]!;
  if (path.includes('.') && path.split('/')[0]!.includes('.')) return null; // another registry, not in the table
  const parts = path.split('/');
  const name = parts.pop()!;
  const namespace = parts.length > 0 ? parts.join('/') : 'library';
  const viaPurl = productForPurl({ type: 'docker', namespace, name }, data);
  if (viaPurl) return viaPurl;
  if (!MIRROR_NAMESPACES.has(namespace)) return null;
  if (namespace === 'bitnami' && Object.hasOwn(BITNAMI_PRODUCTS, name)) return BITNAMI_PRODUCTS[name]!;
  if (namespace !== 'library') {
    const bare = productForImageRepository(name, data);
    if (bare) return bare;
  }
  const id = indexFor(data).names.get(name);
  if (!id) return null;
  const category = data.products[id]?.category;
  return category === 'service' || category === 'standard' ? null : id;
}

/** A Debian or Ubuntu codename (`buster` → debian 10, `jammy` → ubuntu 22.04), from the data. */
export function osForCodename(word: string, data: EolData = activeEolData()): { product: string; cycle: string } | null {
  return indexFor(data).osCodenames.get(word.toLowerCase()) ?? null;
}

/** The component kind of a product: os, container-runtime, runtime, framework or middleware. */
export function kindForProduct(productId: string, data: EolData = activeEolData()): ComponentKind {
  if (CONTAINER_RUNTIMES.has(productId)) return 'container-runtime';
  if (RUNTIME_FRAMEWORKS.has(productId)) return 'runtime';
  const category = data.products[productId]?.category;
  if (category === 'os') return 'os';
  if (category === 'lang') return 'runtime';
  if (category === 'framework') return 'framework';
  return 'middleware';
}
