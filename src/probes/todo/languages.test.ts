import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDITOR_MODES, LANGUAGES, getLanguage, languageFor, languageForModeline, languageForShebang, languageMayApply } from './languages.js';

const idOf = (path: string): string | undefined => languageFor(path)?.id;

describe('languageFor', () => {
  it.each([
    ['src/main.c', 'c'],
    ['include/x.h', 'c'],
    ['a/b.cpp', 'cpp'],
    ['a/b.hpp', 'cpp'],
    ['App.m', 'objective-c'],
    ['Program.cs', 'csharp'],
    ['Main.java', 'java'],
    ['build.gradle.kts', 'kotlin'],
    ['build.gradle', 'groovy'],
    ['Main.scala', 'scala'],
    ['build.sbt', 'scala'],
    ['main.go', 'go'],
    ['lib.rs', 'rust'],
    ['View.swift', 'swift'],
    ['main.dart', 'dart'],
    ['index.js', 'javascript'],
    ['index.mjs', 'javascript'],
    ['index.cjs', 'javascript'],
    ['App.jsx', 'javascript'],
    ['index.ts', 'typescript'],
    ['types.d.ts', 'typescript'],
    ['index.mts', 'typescript'],
    ['index.cts', 'typescript'],
    ['App.tsx', 'typescript'],
    ['tool.py', 'python'],
    ['stubs.pyi', 'python'],
    ['gui.pyw', 'python'],
    ['app.rb', 'ruby'],
    ['index.php', 'php'],
    ['view.blade.php', 'php'],
    ['script.pl', 'perl'],
    ['Module.pm', 'perl'],
    ['init.lua', 'lua'],
    ['analysis.R', 'r'],
    ['model.jl', 'julia'],
    ['Main.hs', 'haskell'],
    ['mix.exs', 'elixir'],
    ['server.erl', 'erlang'],
    ['core.clj', 'clojure'],
    ['init.el', 'lisp'],
    ['main.ml', 'ocaml'],
    ['Program.fs', 'fsharp'],
    ['main.zig', 'zig'],
    ['main.nim', 'nim'],
    ['run.sh', 'shell'],
    ['run.bash', 'shell'],
    ['run.zsh', 'shell'],
    ['run.ksh', 'shell'],
    ['config.fish', 'fish'],
    ['build.ps1', 'powershell'],
    ['build.bat', 'batch'],
    ['build.cmd', 'batch'],
    ['schema.sql', 'sql'],
    ['index.html', 'html'],
    ['pom.xml', 'xml'],
    ['schema.xsd', 'xml'],
    ['Info.plist', 'xml'],
    ['App.csproj', 'xml'],
    ['App.vue', 'vue'],
    ['App.svelte', 'svelte'],
    ['index.astro', 'astro'],
    ['site.css', 'css'],
    ['site.scss', 'scss'],
    ['site.sass', 'sass'],
    ['site.less', 'less'],
    ['site.styl', 'stylus'],
    ['ci.yml', 'yaml'],
    ['ci.yaml', 'yaml'],
    ['Cargo.toml', 'toml'],
    ['setup.cfg', 'ini'],
    ['php.ini', 'ini'],
    ['app.properties', 'properties'],
    ['nginx.conf', 'conf'],
    ['main.tf', 'hcl'],
    ['default.nix', 'nix'],
    ['api.proto', 'protobuf'],
    ['schema.graphql', 'graphql'],
    ['README.md', 'markdown'],
    ['index.rst', 'rst'],
    ['paper.tex', 'latex'],
    ['plugin.vim', 'vim'],
    ['boot.asm', 'assembly'],
    ['start.S', 'assembly'],
    ['solver.f90', 'fortran'],
    ['legacy.f', 'fortran-fixed'],
    ['Module.vb', 'vb'],
    ['Token.sol', 'solidity'],
    ['main.jsonnet', 'jsonnet'],
    ['defs.bzl', 'starlark'],
    ['page.html.j2', 'jinja'],
    ['page.hbs', 'handlebars'],
    ['page.ejs', 'ejs'],
    ['page.html.erb', 'erb'],
  ])('%s is %s', (path, id) => {
    expect(idOf(path)).toBe(id);
  });

  it.each([
    ['Dockerfile', 'dockerfile'],
    ['Dockerfile.dev', 'dockerfile'],
    ['api.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['Makefile', 'makefile'],
    ['makefile', 'makefile'],
    ['GNUmakefile', 'makefile'],
    ['rules.mk', 'makefile'],
    ['CMakeLists.txt', 'cmake'],
    ['toolchain.cmake', 'cmake'],
    ['Jenkinsfile', 'groovy'],
    ['Gemfile', 'ruby'],
    ['Rakefile', 'ruby'],
    ['.bashrc', 'shell'],
    ['.zshrc', 'shell'],
    ['.profile', 'shell'],
    ['BUILD', 'starlark'],
    ['BUILD.bazel', 'starlark'],
    ['WORKSPACE', 'starlark'],
    ['MODULE.bazel', 'starlark'],
    ['.editorconfig', 'ini'],
    ['.gitignore', 'ignore-file'],
    ['.vimrc', 'vim'],
  ])('by name: %s is %s', (path, id) => {
    expect(idOf(`some/dir/${path}`)).toBe(id);
  });

  it('ignores case of extensions and accepts Windows separators', () => {
    expect(idOf('SRC\\MAIN.JS')).toBe('javascript');
    expect(idOf('C:\\work\\Dockerfile')).toBe('dockerfile');
  });

  it('prefers the longest known extension', () => {
    expect(idOf('webpack.config.js')).toBe('javascript');
    expect(idOf('a.b.c.ts')).toBe('typescript');
  });

  it('does not treat a directory dot or a bare dotfile as an extension', () => {
    expect(idOf('some.dir/README')).toBeUndefined();
    expect(idOf('notes.unknownext')).toBeUndefined();
    expect(idOf('LICENSE')).toBeUndefined();
    expect(idOf('.unknown')).toBeUndefined();
  });

  it('does not match a name prefix alone (`Dockerfile.` needs a suffix)', () => {
    expect(idOf('Dockerfile.')).toBeUndefined();
  });

  it('picks the longest known extension, whatever the case and the dots around it', () => {
    /** The rule as written: every dotted suffix of the lower-cased name, longest first. */
    const reference = (path: string): string | undefined => {
      const base = path.slice(path.lastIndexOf('/') + 1);
      const byName = LANGUAGES.find((l) => l.internal !== true && (l.fileNames ?? []).includes(base));
      if (byName) return byName.id;
      const prefixed = LANGUAGES.find((l) => l.internal !== true && (l.fileNamePrefixes ?? []).some((p) => base.startsWith(p) && base.length > p.length));
      if (prefixed) return prefixed.id;
      const lower = base.toLowerCase();
      const dots = [...lower.matchAll(/\./g)].map((m) => m.index).filter((i) => i > 0 || lower.indexOf('.', 1) < 0);
      for (const dot of dots) {
        const language = LANGUAGES.find((l) => l.internal !== true && (l.extensions ?? []).includes(lower.slice(dot + 1)));
        if (language) return language.id;
      }
      return undefined;
    };
    const extensions = LANGUAGES.flatMap((l) => l.extensions ?? []);
    const part = fc.oneof(fc.constantFrom(...extensions, 'x', 'min', 'blade', 'inc', 'd', 'BLADE', 'PHP', 'Js', ''), fc.stringMatching(/^[a-z]{0,3}$/));
    fc.assert(
      fc.property(fc.constantFrom('', 'src/', 'a.b/'), fc.constantFrom('', '.', 'name', 'x.'), fc.array(part, { maxLength: 4 }), (dir, head, parts) => {
        const path = dir + head + parts.map((p) => `.${p}`).join('');
        expect(idOf(path), path).toBe(reference(path));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('languageMayApply', () => {
  it('is true for known files and others that a shebang may make scripts, false for data and binaries', () => {
    expect(languageMayApply('src/a.ts')).toBe(true);
    expect(languageMayApply('bin/tool')).toBe(true);
    expect(languageMayApply('.hidden')).toBe(true);
    expect(languageMayApply('dir.with.dots/tool')).toBe(true);
    expect(languageMayApply('ftrace/test.d/basic.tc')).toBe(true);
    expect(languageMayApply('hooks/pre-commit.sample')).toBe(true);
    expect(languageMayApply('bin/python3.9')).toBe(true);
    expect(languageMayApply('img/logo.png')).toBe(false);
    expect(languageMayApply('fonts/a.woff2')).toBe(false);
    expect(languageMayApply('dist/app.js.map')).toBe(false);
    expect(languageMayApply('IMG.JPG')).toBe(false);
  });
});

describe('languageForShebang', () => {
  it.each([
    ['#!/bin/sh', 'shell'],
    ['#!/bin/bash -e', 'shell'],
    ['#!/usr/bin/env bash', 'shell'],
    ['#!/usr/bin/env zsh', 'shell'],
    ['#!/usr/bin/python3.11', 'python'],
    ['#!/usr/bin/env python3', 'python'],
    ['#!/usr/bin/env ruby', 'ruby'],
    ['#!/usr/bin/perl -w', 'perl'],
    ['#!/usr/bin/env node', 'javascript'],
    ['#!/usr/bin/env -S node --no-warnings', 'javascript'],
    ['#!/usr/bin/env -S NODE_OPTIONS=x deno run', 'typescript'],
    ['#!/usr/bin/env fish', 'fish'],
  ])('%s is %s', (line, id) => {
    expect(languageForShebang(line)?.id).toBe(id);
  });

  it('rejects non-shebang lines and unknown interpreters', () => {
    expect(languageForShebang('# just a comment')).toBeUndefined();
    expect(languageForShebang('#!/usr/bin/env unknown-thing')).toBeUndefined();
    expect(languageForShebang('')).toBeUndefined();
    expect(languageForShebang('#!')).toBeUndefined();
  });
});

describe('languageForModeline', () => {
  it.each([
    ['// <chrono> -*- C++ -*-', 'cpp'],
    ['/* -*- mode: c; c-basic-offset: 4 -*- */', 'c'],
    ['# -*- mode: python; coding: utf-8 -*-', 'python'],
    ['#!/usr/bin/env foo\n# -*- Mode: Ruby -*-', 'ruby'],
    [';;; -*- emacs-lisp -*-', 'lisp'],
    ['# vim: set ft=sh:', 'shell'],
    ['line 1\nline 2\n/* vim: set filetype=cpp ts=2: */', 'cpp'],
    ['" vi: ft=vim', 'vim'],
  ])('%s is %s', (head, id) => {
    expect(languageForModeline(head)?.id).toBe(id);
  });

  it('ignores modelines without a mode, unknown modes and modelines too far down', () => {
    expect(languageForModeline('# -*- coding: utf-8 -*-')).toBeUndefined();
    expect(languageForModeline('// -*- unknown-thing -*-')).toBeUndefined();
    expect(languageForModeline('1\n2\n// -*- C++ -*-')).toBeUndefined();
    expect(languageForModeline('1\n2\n3\n4\n5\n# vim: ft=sh')).toBeUndefined();
    expect(languageForModeline('the vim: editor; ft=sh is not a modeline here')).toBeUndefined();
  });

  it('maps every mode name to a language of the table', () => {
    for (const [mode, id] of Object.entries(EDITOR_MODES)) expect(getLanguage(id), mode).toBeDefined();
  });
});

describe('the table', () => {
  it('has unique ids', () => {
    const ids = LANGUAGES.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('maps every extension and file name to one language only', () => {
    const seen = new Map<string, string>();
    for (const language of LANGUAGES) {
      for (const key of [...(language.extensions ?? []).map((e) => `.${e}`), ...(language.fileNames ?? [])]) {
        const other = seen.get(key);
        if (other !== undefined) expect(other, `${key} in ${language.id} and ${other}`).toBe(language.id);
        seen.set(key, language.id);
      }
    }
  });

  it('writes extensions in lower case without a leading dot', () => {
    for (const language of LANGUAGES) {
      for (const ext of language.extensions ?? []) {
        expect(ext).toBe(ext.toLowerCase());
        expect(ext.startsWith('.')).toBe(false);
      }
    }
  });

  it('refers only to languages that exist', () => {
    for (const language of LANGUAGES) {
      for (const id of Object.values(language.embedded ?? {})) expect(getLanguage(id), id).toBeDefined();
    }
  });

  it('has non-empty delimiters', () => {
    for (const language of LANGUAGES) {
      for (const rule of language.lineComments ?? []) expect(rule.token.length).toBeGreaterThan(0);
      for (const rule of language.blockComments ?? []) {
        expect(rule.open.length).toBeGreaterThan(0);
        expect(rule.close.length).toBeGreaterThan(0);
      }
      for (const rule of language.strings ?? []) {
        expect(rule.open.length).toBeGreaterThan(0);
        expect(rule.close.length).toBeGreaterThan(0);
      }
    }
  });

  it('covers at least 60 languages', () => {
    expect(LANGUAGES.filter((l) => l.internal !== true).length).toBeGreaterThanOrEqual(60);
  });
});
