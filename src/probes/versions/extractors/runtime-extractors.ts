/**
 * The extractors for runtimes, OS, middleware and container images, in a stable order. Library
 * lockfiles and manifests are in library-extractors.ts.
 */
import type { Extractor } from '../model.js';
import { composeExtractor } from './compose.js';
import { devcontainerExtractor } from './devcontainer.js';
import { dockerfileExtractor } from './dockerfile.js';
import { gemfileRubyExtractor } from './gemfile-ruby.js';
import { githubActionsExtractor } from './github-actions.js';
import { gitlabCiExtractor } from './gitlab-ci.js';
import { globalJsonExtractor } from './global-json.js';
import { helmValuesExtractor } from './helm-values.js';
import { javaVersionExtractor } from './java-version.js';
import { kubernetesExtractor } from './kubernetes.js';
import { miseTomlExtractor } from './mise-toml.js';
import { nodeVersionExtractor } from './node-version.js';
import { nvmrcExtractor } from './nvmrc.js';
import { packageJsonEnginesExtractor } from './package-json-engines.js';
import { pyprojectPythonExtractor } from './pyproject-python.js';
import { pythonVersionExtractor } from './python-version.js';
import { rubyVersionExtractor } from './ruby-version.js';
import { runtimeTxtExtractor } from './runtime-txt.js';
import { rustToolchainExtractor } from './rust-toolchain.js';
import { toolVersionsExtractor } from './tool-versions.js';

export const runtimeExtractors: readonly Extractor[] = [
  nvmrcExtractor,
  nodeVersionExtractor,
  toolVersionsExtractor,
  miseTomlExtractor,
  pythonVersionExtractor,
  runtimeTxtExtractor,
  pyprojectPythonExtractor,
  packageJsonEnginesExtractor,
  rubyVersionExtractor,
  gemfileRubyExtractor,
  javaVersionExtractor,
  globalJsonExtractor,
  rustToolchainExtractor,
  githubActionsExtractor,
  dockerfileExtractor,
  composeExtractor,
  kubernetesExtractor,
  helmValuesExtractor,
  gitlabCiExtractor,
  devcontainerExtractor,
];
