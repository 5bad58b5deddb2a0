/**
 * The languages the `todo` probe understands, as data: how each one writes comments and strings.
 * The lexer (lexer.ts) is generic and driven by this table; the few constructs that a table of
 * delimiters cannot describe (heredocs, raw strings with custom delimiters, regex literals,
 * embedded `<script>` blocks...) are named {@link LexerMode}s that the lexer implements once.
 *
 * Adding a language is adding an entry here plus one positive and one negative test.
 */

/** This module's own file (the scan cache is keyed by the scanner's code). */
export const LANGUAGES_MODULE = import.meta.url;

/** Where a comment (or string) opener counts. */
export type Position =
  /** Anywhere outside strings and comments. */
  | 'anywhere'
  /** First non-blank thing on its line (INI `;`, Batch `REM`). */
  | 'line-start'
  /** In the very first column (Fortran fixed form `C`, Ruby `=begin`). */
  | 'column-1'
  /** At the start of a shell word: after a blank or one of `;|&()<>` (so `$#`, `a#b` are not comments). */
  | 'word-start'
  /** At line start or after a blank (YAML: `a#b` is not a comment). */
  | 'after-space';

export interface LineCommentRule {
  token: string;
  at?: Position;
  /** Match the token in any case (`REM`, `rem`). */
  ignoreCase?: boolean;
  /** The token must be followed by a blank or the line end (`REM` but not `REMOVE`). */
  wordEnd?: boolean;
  /** Not a comment right after one of these characters (Perl `$#`, SCSS `http://`). */
  notAfter?: string;
  /** Only first on its line or after one of these, blanks between (Tcl: where a command starts). */
  onlyAfter?: string;
  /** Not a comment right before one of these characters (PHP 8 attributes `#[`). */
  notBefore?: string;
  /** Haskell: a run of dashes followed by a symbol character is an operator (`-->`, `--|`). */
  symbolRun?: boolean;
  /** A backslash at the end of the line continues the comment onto the next line (C preprocessor). */
  continues?: boolean;
  /** The comment also ends at this token (PHP: `?>` ends a `//` comment). */
  endsAt?: string;
}

export interface BlockCommentRule {
  open: string;
  /** May contain `\n` to mean "at the start of a line" (Ruby's `\n=end`). */
  close: string;
  /** Openers inside the comment nest and need their own closers (Rust, Swift, Haskell...). */
  nested?: boolean;
  at?: Position;
  /** Not a comment when the opener is followed by one of these (F# `(*)` is an operator). */
  notBefore?: string;
}

export interface StringRule {
  open: string;
  /** May contain `\n` to mean "at the start of a line" (PowerShell here-strings `\n"@`). */
  close: string;
  /** Escape character; absent means the string has none (raw strings, shell `'...'`). */
  escape?: string;
  /** After the escape, this letter skips the blanks and line breaks that follow (Lua's `\z`). */
  skipSpaceEscape?: string;
  /** Default false: an unterminated string then ends at the line end instead of swallowing the file. */
  multiline?: boolean;
  /** A closer followed by one of these characters is an escaped closer, not the end (SQL `''`). */
  closeEscapes?: string;
  /**
   * Code embedded in the string (`${...}`, `#{...}`, `\(...)`, `$(...)`); comments and strings in
   * it are lexed as code. `open` ends with the opening bracket that `close` balances.
   */
  interpolation?: readonly {
    open: string;
    close: string;
    /** The opener's first character twice is that character, not a hole (C# `{{`, Scala `$$`). */
    doubled?: boolean;
  }[];
  /** Not a string right after an identifier character (Haskell primes `x'`, YAML `it's`). */
  notAfterWord?: boolean;
  /** Not a string right after one of these characters (C++ digit separators `1'000`, Erlang `$"`). */
  notAfter?: string;
  /**
   * A string only first on its line or after one of these characters, blanks between (YAML: a
   * quote opens a scalar where a node starts, after `: `, `- `, `[`, `{`, `,`, `? `; in `a (b)'s`
   * or `say "hi` it is a character).
   */
  onlyAfter?: string;
  /** Only a short character literal (`'a'`, `'\n'`); otherwise the quote is a symbol (Rust lifetimes). */
  charLiteral?: boolean;
  /** Python: scanned as a comment when it is the first token of a statement (docstrings). */
  docstring?: boolean;
  at?: Position;
}

/** Constructs implemented in the lexer rather than described by delimiters. */
export type LexerMode =
  /** `/re/` after an operator or keyword (JS, TS, Groovy, Ruby, Perl). */
  | 'regex'
  /** C++ `R"delim(...)delim"`. */
  | 'cpp-raw-string'
  /** Rust `r"..."`, `r#"..."#`, `br"..."`, `cr"..."`. */
  | 'rust-raw-string'
  /** C# 11 `"""..."""` (three or more quotes). */
  | 'csharp-raw-string'
  /** Swift `#"..."#`, `##"""..."""##`. */
  | 'swift-raw-string'
  /** Lua and CMake `[[...]]`, `[==[...]==]`. */
  | 'long-bracket-string'
  /** Lua `--[[...]]`, `--[==[...]==]`. */
  | 'lua-long-comment'
  /** CMake `#[[...]]`, `#[==[...]==]`. */
  | 'cmake-bracket-comment'
  /** `<<EOF`, `<<'EOF'`, `<<-EOF` (body is not a comment). */
  | 'shell-heredoc'
  | 'ruby-heredoc'
  | 'perl-heredoc'
  | 'php-heredoc'
  | 'hcl-heredoc'
  /** Ruby `%q{...}`, `%w[...]`, `%r{...}`, `%(...)`. */
  | 'ruby-percent'
  /** Perl `q{}`, `qq{}`, `qw//`, `qr//`, `m//`, `s///`, `tr///`, `y///`. */
  | 'perl-quote'
  /** Elixir `~s(...)`, `~r/.../`, `~S"""..."""`. */
  | 'elixir-sigil'
  /** Markdown fenced code blocks (backticks or tildes, any indentation, closed by a run as long). */
  | 'markdown-fence'
  /** Perl POD from `=pod`/`=head1`/... to `=cut`, scanned as a comment. */
  | 'perl-pod'
  /** YAML `key: |` and `key: >` block scalars (their body is a string). */
  | 'yaml-block-scalar'
  /** reStructuredText `.. ` comments (not directives, targets or substitutions). */
  | 'rst-comment'
  /** PostgreSQL `$$...$$`, `$tag$...$tag$`. */
  | 'sql-dollar-quote'
  /** OCaml `{|...|}`, `{id|...|id}`. */
  | 'ocaml-quoted-string'
  /** HTML-like tags: quoted attributes skipped, `<script>`/`<style>` lexed with their language. */
  | 'markup'
  /** Astro `---` frontmatter at the top of the file, lexed as TypeScript. */
  | 'frontmatter'
  /** PHP code embedded in markup ends at `?>`. */
  | 'php-close';

export interface Language {
  /** Stable id, e.g. `typescript`; reported as the file's language. */
  id: string;
  name: string;
  /** Lower-case extensions without the dot; compound ones allowed (`blade.php`). */
  extensions?: readonly string[];
  /** Exact base names (`Makefile`, `.bashrc`). */
  fileNames?: readonly string[];
  /** Base-name prefixes (`Dockerfile.` for `Dockerfile.dev`). */
  fileNamePrefixes?: readonly string[];
  lineComments?: readonly LineCommentRule[];
  blockComments?: readonly BlockCommentRule[];
  strings?: readonly StringRule[];
  modes?: readonly LexerMode[];
  /** Outside strings this character escapes the next one (shell `\#`, PowerShell `` `" ``). */
  codeEscape?: string;
  /** Words after which a `/` starts a regex literal (with mode `regex`). */
  regexKeywords?: readonly string[];
  /** Regex literals may span lines (Perl and Ruby `/…/x` with comments in them). */
  regexMultiline?: boolean;
  /**
   * A line break ends a statement (Ruby): a `/` or `%` first on its line opens a literal, whatever
   * ended the line before (unless that line ends with a `\` continuation).
   */
  statementNewlines?: boolean;
  /** `:name` symbols (Ruby): `:%`, `:/` and `` :` `` name operators, they open no literal. */
  colonSymbols?: boolean;
  /**
   * Lines that end the code (Ruby's `__END__`): what follows is data, neither code nor comments.
   * Recognised alone on a line, in the first column.
   */
  dataSections?: readonly string[];
  /** Languages of embedded regions (mode `markup`, `frontmatter`); ids of entries in this table. */
  embedded?: { script?: string; style?: string; php?: string; frontmatter?: string };
  /** Not chosen by file name (reached only as an embedded language). */
  internal?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Shared building blocks. They are plain data so entries below read like a spec sheet.

const SLASH2: LineCommentRule = { token: '//' };
const HASH: LineCommentRule = { token: '#' };
const C_BLOCK: BlockCommentRule = { open: '/*', close: '*/' };
const C_BLOCK_NESTED: BlockCommentRule = { open: '/*', close: '*/', nested: true };
const HTML_COMMENT: BlockCommentRule = { open: '<!--', close: '-->' };

const DQ: StringRule = { open: '"', close: '"', escape: '\\' };
const SQ: StringRule = { open: "'", close: "'", escape: '\\' };
const DQ_ML: StringRule = { ...DQ, multiline: true };
const SQ_ML: StringRule = { ...SQ, multiline: true };
const CHAR: StringRule = { open: "'", close: "'", escape: '\\', charLiteral: true };
const BACKTICK_RAW: StringRule = { open: '`', close: '`', multiline: true };
const DOLLAR_BRACE = [{ open: '${', close: '}' }] as const;
const CSHARP_HOLES = [{ open: '{', close: '}', doubled: true }] as const;
const SCALA_HOLES = [{ open: '${', close: '}', doubled: true }] as const;

const JS_REGEX_KEYWORDS = [
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do',
  'else', 'yield', 'await',
] as const;

const C_STRINGS: readonly StringRule[] = [DQ, { ...SQ, notAfter: '0123456789' }];

const JS_LIKE = {
  lineComments: [SLASH2],
  blockComments: [C_BLOCK],
  strings: [DQ, SQ, { open: '`', close: '`', escape: '\\', multiline: true, interpolation: DOLLAR_BRACE }],
  modes: ['regex'],
  regexKeywords: JS_REGEX_KEYWORDS,
} satisfies Partial<Language>;

const PYTHON_LIKE = {
  lineComments: [HASH],
  strings: [
    { open: '"""', close: '"""', escape: '\\', multiline: true, docstring: true },
    { open: "'''", close: "'''", escape: '\\', multiline: true, docstring: true },
    DQ,
    SQ,
  ],
} satisfies Partial<Language>;

const SHELL_STRINGS: readonly StringRule[] = [
  { open: "$'", close: "'", escape: '\\', multiline: true },
  { open: "'", close: "'", multiline: true },
  {
    open: '"',
    close: '"',
    escape: '\\',
    multiline: true,
    interpolation: [{ open: '$(', close: ')' }, { open: '${', close: '}' }],
  },
  { open: '`', close: '`', escape: '\\', multiline: true },
];

const SHELL_LIKE = {
  lineComments: [{ token: '#', at: 'word-start' }],
  strings: SHELL_STRINGS,
  modes: ['shell-heredoc'],
  codeEscape: '\\',
} satisfies Partial<Language>;

const HASKELL_LIKE = {
  lineComments: [{ token: '--', symbolRun: true }],
  blockComments: [{ open: '{-', close: '-}', nested: true }],
  strings: [DQ, { ...CHAR, notAfterWord: true }],
} satisfies Partial<Language>;

const MARKUP_EMBEDDED = { script: 'javascript', style: 'css' } as const;

const INI_LIKE = {
  lineComments: [
    { token: ';', at: 'line-start' },
    { token: '#', at: 'line-start' },
  ],
} satisfies Partial<Language>;

// ---------------------------------------------------------------------------------------------

export const LANGUAGES: readonly Language[] = [
  // --- C family -------------------------------------------------------------------------------
  {
    id: 'c',
    name: 'C',
    extensions: ['c', 'h', 'ino', 'glsl', 'hlsl', 'vert', 'frag', 'geom', 'comp', 'metal', 'cl'],
    lineComments: [{ token: '//', continues: true }],
    blockComments: [C_BLOCK],
    strings: C_STRINGS,
  },
  {
    id: 'cpp',
    name: 'C++',
    extensions: ['cpp', 'cc', 'cxx', 'c++', 'hpp', 'hh', 'hxx', 'h++', 'inl', 'ipp', 'tpp', 'cu', 'cuh'],
    lineComments: [{ token: '//', continues: true }],
    blockComments: [C_BLOCK],
    strings: C_STRINGS,
    modes: ['cpp-raw-string'],
  },
  {
    id: 'objective-c',
    name: 'Objective-C',
    extensions: ['m', 'mm'],
    lineComments: [{ token: '//', continues: true }],
    blockComments: [C_BLOCK],
    strings: C_STRINGS,
    modes: ['cpp-raw-string'],
  },
  {
    id: 'csharp',
    name: 'C#',
    extensions: ['cs', 'csx', 'cake'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    // Interpolated strings' holes are code, with strings of their own: `$"{(a ? "x" : "y")}"`.
    strings: [
      { open: '$@"', close: '"', closeEscapes: '"', multiline: true, interpolation: CSHARP_HOLES },
      { open: '@$"', close: '"', closeEscapes: '"', multiline: true, interpolation: CSHARP_HOLES },
      { open: '$"', close: '"', escape: '\\', interpolation: CSHARP_HOLES },
      { open: '@"', close: '"', closeEscapes: '"', multiline: true },
      DQ,
      SQ,
    ],
    modes: ['csharp-raw-string'],
  },
  {
    id: 'java',
    name: 'Java',
    extensions: ['java', 'jav', 'aidl'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    strings: [{ open: '"""', close: '"""', escape: '\\', multiline: true }, DQ, SQ],
  },
  {
    id: 'kotlin',
    name: 'Kotlin',
    extensions: ['kt', 'kts', 'ktm'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK_NESTED],
    strings: [
      { open: '"""', close: '"""', multiline: true, interpolation: DOLLAR_BRACE },
      { ...DQ, interpolation: DOLLAR_BRACE },
      SQ,
    ],
  },
  {
    id: 'scala',
    name: 'Scala',
    extensions: ['scala', 'sc', 'sbt'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK_NESTED],
    // The standard interpolators (`s`, `f`, `raw`) have `${…}` holes of code; the lexer does not
    // read escapes in them, and `$$` is a dollar.
    strings: [
      ...['s', 'f', 'raw'].flatMap((prefix): StringRule[] => [
        { open: `${prefix}"""`, close: '"""', multiline: true, interpolation: SCALA_HOLES },
        { open: `${prefix}"`, close: '"', interpolation: SCALA_HOLES },
      ]),
      { open: '"""', close: '"""', multiline: true },
      DQ,
      CHAR,
    ],
  },
  {
    id: 'groovy',
    name: 'Groovy',
    extensions: ['groovy', 'gvy', 'gy', 'gsh', 'gradle', 'jenkinsfile'],
    fileNames: ['Jenkinsfile'],
    fileNamePrefixes: ['Jenkinsfile.'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    strings: [
      { open: '"""', close: '"""', escape: '\\', multiline: true, interpolation: DOLLAR_BRACE },
      { open: "'''", close: "'''", escape: '\\', multiline: true },
      { ...DQ, interpolation: DOLLAR_BRACE },
      SQ,
    ],
    modes: ['regex'],
    regexKeywords: ['return', 'case', 'in', 'else', 'assert'],
  },
  {
    id: 'go',
    name: 'Go',
    extensions: ['go'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ, BACKTICK_RAW],
  },
  {
    id: 'rust',
    name: 'Rust',
    extensions: ['rs'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK_NESTED],
    strings: [DQ_ML, CHAR],
    modes: ['rust-raw-string'],
  },
  {
    id: 'swift',
    name: 'Swift',
    extensions: ['swift'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK_NESTED],
    strings: [
      { open: '"""', close: '"""', escape: '\\', multiline: true, interpolation: [{ open: '\\(', close: ')' }] },
      { ...DQ, interpolation: [{ open: '\\(', close: ')' }] },
    ],
    modes: ['swift-raw-string'],
  },
  {
    id: 'dart',
    name: 'Dart',
    extensions: ['dart'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK_NESTED],
    strings: [
      { open: "r'''", close: "'''", multiline: true, notAfterWord: true },
      { open: 'r"""', close: '"""', multiline: true, notAfterWord: true },
      { open: "r'", close: "'", notAfterWord: true },
      { open: 'r"', close: '"', notAfterWord: true },
      { open: "'''", close: "'''", escape: '\\', multiline: true, interpolation: DOLLAR_BRACE },
      { open: '"""', close: '"""', escape: '\\', multiline: true, interpolation: DOLLAR_BRACE },
      { ...SQ, interpolation: DOLLAR_BRACE },
      { ...DQ, interpolation: DOLLAR_BRACE },
    ],
  },
  {
    id: 'd',
    name: 'D',
    extensions: ['d', 'di'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK, { open: '/+', close: '+/', nested: true }],
    strings: [
      { open: 'r"', close: '"', multiline: true, notAfterWord: true },
      DQ_ML,
      BACKTICK_RAW,
      CHAR,
    ],
  },
  {
    id: 'solidity',
    name: 'Solidity',
    extensions: ['sol'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'zig',
    name: 'Zig',
    extensions: ['zig', 'zon'],
    lineComments: [SLASH2],
    // A `\\` line is a multi-line string literal up to the end of the line.
    strings: [DQ, CHAR, { open: '\\\\', close: '\n' }],
  },
  {
    id: 'protobuf',
    name: 'Protocol Buffers',
    extensions: ['proto'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'thrift',
    name: 'Thrift',
    extensions: ['thrift'],
    lineComments: [SLASH2, HASH],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'prisma',
    name: 'Prisma',
    extensions: ['prisma'],
    lineComments: [SLASH2],
    strings: [DQ],
  },
  {
    id: 'pascal',
    name: 'Pascal',
    extensions: ['pas', 'dpr', 'lpr'],
    lineComments: [SLASH2],
    blockComments: [{ open: '(*', close: '*)' }, { open: '{', close: '}' }],
    strings: [{ open: "'", close: "'", closeEscapes: "'" }],
  },

  // --- JavaScript family ----------------------------------------------------------------------
  // `.js.flow`: Flow's type declarations, written in JavaScript.
  { id: 'javascript', name: 'JavaScript', extensions: ['js', 'mjs', 'cjs', 'jsx', 'es6', 'jsm', 'flow'], ...JS_LIKE },
  { id: 'typescript', name: 'TypeScript', extensions: ['ts', 'mts', 'cts', 'tsx'], ...JS_LIKE },
  {
    id: 'json',
    name: 'JSON (with comments)',
    extensions: ['json', 'jsonc', 'json5', 'code-workspace'],
    fileNames: ['.babelrc', '.eslintrc', '.jshintrc', '.swcrc', '.prettierrc'],
    lineComments: [SLASH2],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'coffeescript',
    name: 'CoffeeScript',
    extensions: ['coffee', 'cson', 'litcoffee'],
    lineComments: [HASH],
    blockComments: [{ open: '###', close: '###', notBefore: '#' }],
    strings: [
      { open: '"""', close: '"""', escape: '\\', multiline: true, interpolation: [{ open: '#{', close: '}' }] },
      { open: "'''", close: "'''", escape: '\\', multiline: true },
      { ...DQ_ML, interpolation: [{ open: '#{', close: '}' }] },
      SQ_ML,
      { open: '`', close: '`', escape: '\\', multiline: true },
    ],
  },

  // --- Scripting ------------------------------------------------------------------------------
  {
    id: 'python',
    name: 'Python',
    extensions: ['py', 'pyi', 'pyw', 'pyx', 'pxd', 'gyp', 'gypi', 'sage'],
    fileNames: ['SConstruct', 'SConscript', 'wscript'],
    ...PYTHON_LIKE,
  },
  {
    id: 'starlark',
    name: 'Starlark / Bazel',
    extensions: ['bzl', 'star', 'bazel', 'sky'],
    fileNames: ['BUILD', 'WORKSPACE', 'Tiltfile', 'BUCK'],
    ...PYTHON_LIKE,
  },
  {
    id: 'ruby',
    name: 'Ruby',
    extensions: ['rb', 'rake', 'gemspec', 'ru', 'rbw', 'podspec', 'jbuilder', 'thor', 'builder'],
    fileNames: [
      'Gemfile', 'Rakefile', 'Podfile', 'Vagrantfile', 'Brewfile', 'Guardfile', 'Fastfile', 'Appfile',
      'Dangerfile', 'Capfile', 'Berksfile', 'Thorfile', '.irbrc', '.pryrc',
    ],
    lineComments: [{ token: '#', notAfter: '?' }],
    blockComments: [{ open: '=begin', close: '\n=end', at: 'column-1' }],
    // `$"`, `$'` and `` $` `` are globals (loaded features, postmatch, prematch), not strings; so
    // are `:$'` and friends as symbols, and `` :` `` names the backtick method.
    strings: [
      { ...DQ_ML, interpolation: [{ open: '#{', close: '}' }], notAfter: '$' },
      { ...SQ_ML, notAfter: '?$' },
      { open: '`', close: '`', escape: '\\', multiline: true, interpolation: [{ open: '#{', close: '}' }], notAfter: '$:' },
    ],
    modes: ['ruby-heredoc', 'ruby-percent', 'regex'],
    regexMultiline: true,
    statementNewlines: true,
    colonSymbols: true,
    dataSections: ['__END__'],
    regexKeywords: ['if', 'elsif', 'unless', 'while', 'until', 'and', 'or', 'not', 'when', 'return', 'then', 'in'],
  },
  {
    id: 'perl',
    name: 'Perl',
    extensions: ['pl', 'pm', 't', 'pod', 'psgi', 'cgi'],
    lineComments: [{ token: '#', notAfter: '$' }],
    // `$"`, `$'` and `` $` `` are variables (list separator, postmatch, prematch), not strings.
    strings: [
      { ...DQ_ML, notAfter: '$' },
      { ...SQ_ML, notAfterWord: true, notAfter: '$' },
      { open: '`', close: '`', escape: '\\', multiline: true, notAfter: '$' },
    ],
    modes: ['perl-pod', 'perl-heredoc', 'perl-quote', 'regex'],
    regexMultiline: true,
    regexKeywords: [
      'if', 'unless', 'while', 'until', 'and', 'or', 'not', 'return', 'split', 'grep', 'map', 'join',
      'push', 'unshift', 'when', 'x', 'lt', 'gt', 'le', 'ge', 'eq', 'ne', 'cmp',
    ],
  },
  {
    id: 'php',
    name: 'PHP',
    extensions: ['php', 'phtml', 'php3', 'php4', 'php5', 'php7', 'php8', 'phps', 'inc.php', 'blade.php'],
    blockComments: [HTML_COMMENT],
    modes: ['markup'],
    embedded: { ...MARKUP_EMBEDDED, php: 'php-code' },
  },
  {
    id: 'php-code',
    name: 'PHP code',
    internal: true,
    lineComments: [
      { token: '//', endsAt: '?>' },
      { token: '#', notBefore: '[', endsAt: '?>' },
    ],
    blockComments: [C_BLOCK],
    strings: [SQ_ML, DQ_ML, { open: '`', close: '`', escape: '\\', multiline: true }],
    modes: ['php-heredoc', 'php-close'],
  },
  {
    id: 'lua',
    name: 'Lua',
    extensions: ['lua', 'luau', 'rockspec', 'wlua'],
    fileNames: ['.luacheckrc'],
    lineComments: [{ token: '--' }],
    // `\z` (Lua 5.2) skips the line break and indentation after it: the string goes on.
    strings: [
      { ...DQ, skipSpaceEscape: 'z' },
      { ...SQ, skipSpaceEscape: 'z' },
    ],
    modes: ['lua-long-comment', 'long-bracket-string'],
  },
  {
    id: 'r',
    name: 'R',
    extensions: ['r', 'rprofile'],
    fileNames: ['.Rprofile'],
    lineComments: [HASH],
    strings: [DQ_ML, SQ_ML, BACKTICK_RAW],
  },
  {
    id: 'julia',
    name: 'Julia',
    extensions: ['jl'],
    lineComments: [HASH],
    blockComments: [{ open: '#=', close: '=#', nested: true }],
    strings: [
      { open: '"""', close: '"""', escape: '\\', multiline: true, interpolation: [{ open: '$(', close: ')' }] },
      { ...DQ_ML, interpolation: [{ open: '$(', close: ')' }] },
      { ...CHAR, notAfterWord: true, notAfter: ")]}.'" },
      { open: '`', close: '`', escape: '\\', multiline: true },
    ],
  },
  {
    id: 'elixir',
    name: 'Elixir',
    extensions: ['ex', 'exs', 'eex', 'leex', 'heex'],
    lineComments: [{ token: '#', notAfter: '?' }],
    strings: [
      { open: '"""', close: '"""', escape: '\\', multiline: true, interpolation: [{ open: '#{', close: '}' }] },
      { open: "'''", close: "'''", escape: '\\', multiline: true },
      { ...DQ_ML, notAfter: '?', interpolation: [{ open: '#{', close: '}' }] },
      { ...SQ_ML, notAfter: '?' },
    ],
    modes: ['elixir-sigil'],
    // `?\"` is a character, and `\\` (a default argument) two backslashes.
    codeEscape: '\\',
  },
  {
    id: 'erlang',
    name: 'Erlang',
    extensions: ['erl', 'hrl', 'escript', 'app.src'],
    fileNames: ['rebar.config', 'sys.config'],
    lineComments: [{ token: '%', notAfter: '$' }],
    strings: [{ ...DQ_ML, notAfter: '$' }, { ...SQ, notAfter: '$' }],
    // Outside strings a backslash is only part of a character: `$\"`, `$\\`.
    codeEscape: '\\',
  },
  {
    id: 'clojure',
    name: 'Clojure',
    extensions: ['clj', 'cljs', 'cljc', 'edn'],
    lineComments: [{ token: ';', notAfter: '\\' }],
    strings: [{ ...DQ_ML, notAfter: '\\' }],
  },
  {
    id: 'lisp',
    name: 'Lisp / Scheme / Racket / Emacs Lisp',
    extensions: ['lisp', 'lsp', 'el', 'scm', 'ss', 'rkt', 'sld', 'fnl', 'asd'],
    fileNames: ['.emacs'],
    lineComments: [{ token: ';', notAfter: '\\' }],
    blockComments: [{ open: '#|', close: '|#', nested: true }],
    strings: [{ ...DQ_ML, notAfter: '\\' }],
  },
  {
    id: 'haskell',
    name: 'Haskell',
    extensions: ['hs', 'hsc', 'hs-boot'],
    ...HASKELL_LIKE,
  },
  { id: 'elm', name: 'Elm', extensions: ['elm'], ...HASKELL_LIKE },
  { id: 'purescript', name: 'PureScript', extensions: ['purs'], ...HASKELL_LIKE },
  {
    id: 'ocaml',
    name: 'OCaml',
    extensions: ['ml', 'mli', 'mll', 'mly'],
    blockComments: [{ open: '(*', close: '*)', nested: true }],
    strings: [DQ_ML, { ...CHAR, notAfterWord: true }],
    modes: ['ocaml-quoted-string'],
  },
  {
    id: 'fsharp',
    name: 'F#',
    extensions: ['fs', 'fsi', 'fsx', 'fsscript'],
    lineComments: [SLASH2],
    blockComments: [{ open: '(*', close: '*)', nested: true, notBefore: ')' }],
    strings: [
      { open: '"""', close: '"""', multiline: true },
      { open: '@"', close: '"', closeEscapes: '"', multiline: true },
      DQ_ML,
      { ...CHAR, notAfterWord: true },
    ],
  },
  {
    id: 'nim',
    name: 'Nim',
    extensions: ['nim', 'nims', 'nimble'],
    lineComments: [HASH],
    blockComments: [{ open: '#[', close: ']#', nested: true }],
    strings: [
      { open: '"""', close: '"""', multiline: true },
      { open: 'r"', close: '"', closeEscapes: '"', notAfterWord: true },
      DQ,
      CHAR,
    ],
  },
  {
    id: 'shell',
    name: 'Shell (sh, bash, zsh, ksh)',
    extensions: ['sh', 'bash', 'zsh', 'ksh', 'bats', 'command', 'ebuild', 'eclass', 'zsh-theme', 'envrc'],
    fileNames: [
      '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.bash_aliases', '.profile', '.zshrc',
      '.zshenv', '.zprofile', '.zlogin', '.zlogout', '.kshrc', '.envrc', '.env', 'PKGBUILD', 'APKBUILD',
    ],
    ...SHELL_LIKE,
  },
  {
    id: 'fish',
    name: 'Fish',
    extensions: ['fish'],
    lineComments: [{ token: '#', at: 'word-start' }],
    strings: [
      { open: "'", close: "'", escape: '\\', multiline: true },
      { open: '"', close: '"', escape: '\\', multiline: true },
    ],
    codeEscape: '\\',
  },
  {
    id: 'dockerfile',
    name: 'Dockerfile',
    extensions: ['dockerfile', 'containerfile'],
    fileNames: ['Dockerfile', 'Containerfile', 'dockerfile'],
    fileNamePrefixes: ['Dockerfile.', 'Containerfile.'],
    ...SHELL_LIKE,
  },
  {
    id: 'powershell',
    name: 'PowerShell',
    extensions: ['ps1', 'psm1', 'psd1', 'ps1xml'],
    lineComments: [HASH],
    blockComments: [{ open: '<#', close: '#>' }],
    strings: [
      { open: '@"', close: '\n"@', multiline: true },
      { open: "@'", close: "\n'@", multiline: true },
      {
        open: '"',
        close: '"',
        escape: '`',
        closeEscapes: '"',
        multiline: true,
        interpolation: [{ open: '$(', close: ')' }],
      },
      { open: "'", close: "'", closeEscapes: "'", multiline: true },
    ],
    codeEscape: '`',
  },
  {
    id: 'batch',
    name: 'Batch',
    extensions: ['bat', 'cmd', 'btm'],
    lineComments: [
      { token: 'rem', at: 'line-start', ignoreCase: true, wordEnd: true },
      { token: '@rem', at: 'line-start', ignoreCase: true, wordEnd: true },
      { token: '::', at: 'line-start' },
    ],
  },
  {
    id: 'tcl',
    name: 'Tcl',
    extensions: ['tcl', 'tk', 'itcl'],
    // `#` starts a comment where a command starts: at a line's start, after `;` or a script's `{`.
    // A backslash escapes outside strings too (`\"`), and a quote opens a string only at the start
    // of a word (`a"b` is a word).
    lineComments: [{ token: '#', onlyAfter: ';{' }],
    strings: [{ ...DQ_ML, notAfterWord: true }],
    codeEscape: '\\',
  },
  {
    id: 'vim',
    name: 'Vim script',
    extensions: ['vim', 'vimrc', 'gvimrc'],
    fileNames: ['.vimrc', '_vimrc', '.gvimrc', '.exrc'],
    lineComments: [{ token: '"', at: 'line-start' }],
    strings: [{ open: "'", close: "'", closeEscapes: "'" }, DQ],
  },

  // --- Data, query and config -----------------------------------------------------------------
  {
    id: 'sql',
    name: 'SQL',
    extensions: ['sql', 'psql', 'pgsql', 'ddl', 'dml', 'hql', 'cql', 'prc', 'pls', 'plsql', 'pkb', 'pks'],
    lineComments: [{ token: '--' }],
    blockComments: [C_BLOCK],
    strings: [
      // PostgreSQL's escape strings: `E'it\'s'`.
      { open: "E'", close: "'", escape: '\\', closeEscapes: "'", multiline: true },
      { open: "e'", close: "'", escape: '\\', closeEscapes: "'", multiline: true },
      { open: "'", close: "'", closeEscapes: "'", multiline: true },
      { open: '"', close: '"', closeEscapes: '"', multiline: true },
      { open: '`', close: '`', closeEscapes: '`' },
      // A psql meta-command (`\echo Use "CREATE EXTENSION …`) runs to its line end: its quotes
      // open nothing.
      { open: '\\', close: '\n', at: 'line-start' },
    ],
    modes: ['sql-dollar-quote'],
  },
  {
    // Chosen by extension, or for a `.sql` file that shows MySQL's signs (scanner.ts): a backslash
    // escapes in strings (`'it\'s'`, as mysqldump writes them), and `#` starts a comment too.
    id: 'mysql',
    name: 'MySQL',
    extensions: ['mysql'],
    lineComments: [{ token: '--' }, HASH],
    blockComments: [C_BLOCK],
    strings: [
      { open: "'", close: "'", escape: '\\', closeEscapes: "'", multiline: true },
      { open: '"', close: '"', escape: '\\', closeEscapes: '"', multiline: true },
      { open: '`', close: '`', closeEscapes: '`' },
    ],
  },
  {
    id: 'graphql',
    name: 'GraphQL',
    extensions: ['graphql', 'gql', 'graphqls'],
    lineComments: [HASH],
    strings: [{ open: '"""', close: '"""', escape: '\\', multiline: true }, DQ],
  },
  {
    id: 'yaml',
    name: 'YAML',
    extensions: ['yml', 'yaml', 'clang-format', 'clang-tidy'],
    fileNames: ['.clang-format', '.clang-tidy', '.gemrc'],
    lineComments: [{ token: '#', at: 'after-space' }],
    strings: [
      { open: "'", close: "'", closeEscapes: "'", multiline: true, onlyAfter: ':-[{,?' },
      { open: '"', close: '"', escape: '\\', multiline: true, onlyAfter: ':-[{,?' },
    ],
    modes: ['yaml-block-scalar'],
  },
  {
    id: 'toml',
    name: 'TOML',
    extensions: ['toml'],
    fileNames: ['Pipfile'],
    lineComments: [HASH],
    strings: [
      { open: '"""', close: '"""', escape: '\\', multiline: true },
      { open: "'''", close: "'''", multiline: true },
      DQ,
      { open: "'", close: "'" },
    ],
  },
  {
    id: 'ini',
    name: 'INI / cfg',
    extensions: ['ini', 'cfg', 'editorconfig', 'gitconfig', 'npmrc', 'inf', 'reg', 'desktop', 'service', 'flake8', 'pylintrc', 'coveragerc'],
    fileNames: [
      '.editorconfig', '.gitconfig', '.gitmodules', '.npmrc', '.yarnrc', '.pylintrc', '.flake8',
      '.coveragerc', 'setup.cfg', 'tox.ini', '.pypirc', '.hgrc',
    ],
    ...INI_LIKE,
  },
  {
    id: 'properties',
    name: 'Java properties',
    extensions: ['properties'],
    lineComments: [
      { token: '#', at: 'line-start' },
      { token: '!', at: 'line-start' },
    ],
  },
  {
    id: 'conf',
    name: 'Config (hash comments)',
    extensions: ['conf', 'cnf', 'tmux.conf', 'nginx', 'htaccess'],
    fileNames: ['.htaccess', '.tmux.conf', '.inputrc', '.screenrc', '.wgetrc', '.curlrc', 'nginx.conf'],
    // `;` too, at a line's start (PulseAudio, MySQL `.cnf`).
    lineComments: [{ token: '#', at: 'after-space' }, { token: ';', at: 'line-start' }],
    strings: [DQ, { ...SQ, notAfterWord: true }],
  },
  {
    id: 'ignore-file',
    name: 'Ignore / attributes file',
    extensions: ['gitignore', 'dockerignore', 'npmignore', 'gitattributes'],
    fileNames: [
      '.gitignore', '.dockerignore', '.npmignore', '.prettierignore', '.eslintignore', '.stylelintignore',
      '.gitattributes', '.vscodeignore', '.helmignore', '.gcloudignore', 'CODEOWNERS',
    ],
    lineComments: [{ token: '#', at: 'column-1' }],
  },
  {
    id: 'makefile',
    name: 'Makefile',
    extensions: ['mk', 'mak', 'make', 'mkfile'],
    fileNames: ['Makefile', 'makefile', 'GNUmakefile', 'BSDmakefile', 'Kbuild', 'Makefile.am', 'Makefile.in'],
    fileNamePrefixes: ['Makefile.'],
    lineComments: [{ token: '#', notAfter: '\\' }],
    strings: [DQ, SQ],
  },
  {
    id: 'cmake',
    name: 'CMake',
    extensions: ['cmake'],
    fileNames: ['CMakeLists.txt'],
    lineComments: [HASH],
    strings: [DQ_ML],
    // An unquoted argument escapes quotes too: `-DA=\"${B}\"`.
    codeEscape: '\\',
    modes: ['cmake-bracket-comment', 'long-bracket-string'],
  },
  {
    id: 'hcl',
    name: 'Terraform / HCL',
    extensions: ['tf', 'tfvars', 'hcl', 'nomad', 'tftpl', 'pkr.hcl'],
    lineComments: [HASH, SLASH2],
    blockComments: [C_BLOCK],
    strings: [{ ...DQ, interpolation: [{ open: '${', close: '}' }, { open: '%{', close: '}' }] }],
    modes: ['hcl-heredoc'],
  },
  {
    id: 'nix',
    name: 'Nix',
    extensions: ['nix'],
    lineComments: [HASH],
    blockComments: [C_BLOCK],
    strings: [
      { open: "''", close: "''", closeEscapes: "'$\\", multiline: true, interpolation: DOLLAR_BRACE },
      { ...DQ_ML, interpolation: DOLLAR_BRACE },
    ],
  },
  {
    id: 'jsonnet',
    name: 'Jsonnet',
    extensions: ['jsonnet', 'libsonnet'],
    lineComments: [SLASH2, HASH],
    blockComments: [C_BLOCK],
    strings: [
      { open: '|||', close: '|||', multiline: true },
      { open: '@"', close: '"', closeEscapes: '"', multiline: true },
      { open: "@'", close: "'", closeEscapes: "'", multiline: true },
      DQ_ML,
      SQ_ML,
    ],
  },

  // --- Markup and styles ----------------------------------------------------------------------
  {
    id: 'html',
    name: 'HTML',
    extensions: ['html', 'htm', 'xhtml', 'shtml', 'inc.html'],
    blockComments: [HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'xml',
    name: 'XML',
    extensions: [
      'xml', 'xsd', 'xsl', 'xslt', 'plist', 'csproj', 'vbproj', 'fsproj', 'vcxproj', 'props', 'targets',
      'resx', 'xaml', 'wsdl', 'nuspec', 'config', 'xib', 'storyboard', 'pom', 'xul', 'rss', 'atom',
      'wxs', 'jelly', 'tld', 'jsp', 'fxml', 'rdf', 'kml', 'gpx', 'xlf', 'xliff', 'ant', 'ivy', 'svg',
    ],
    blockComments: [HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'vue',
    name: 'Vue',
    extensions: ['vue'],
    blockComments: [HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'svelte',
    name: 'Svelte',
    extensions: ['svelte'],
    blockComments: [HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'astro',
    name: 'Astro',
    extensions: ['astro'],
    blockComments: [HTML_COMMENT],
    modes: ['frontmatter', 'markup'],
    embedded: { ...MARKUP_EMBEDDED, frontmatter: 'typescript' },
  },
  {
    id: 'markdown',
    name: 'Markdown',
    extensions: ['md', 'markdown', 'mdown', 'mkd', 'mdx', 'mdwn', 'ronn'],
    blockComments: [HTML_COMMENT],
    // Code is not prose: an HTML comment shown inside a code block or span is not a comment.
    strings: [{ open: '`', close: '`' }],
    modes: ['markdown-fence'],
  },
  {
    id: 'rst',
    name: 'reStructuredText',
    extensions: ['rst', 'rest'],
    modes: ['rst-comment'],
  },
  {
    id: 'latex',
    name: 'LaTeX',
    extensions: ['tex', 'sty', 'ltx', 'dtx', 'ins', 'bbx', 'cbx'],
    lineComments: [{ token: '%', notAfter: '\\' }],
    blockComments: [{ open: '\\begin{comment}', close: '\\end{comment}' }],
  },
  {
    id: 'jinja',
    name: 'Jinja / Twig / Nunjucks',
    extensions: ['j2', 'jinja', 'jinja2', 'njk', 'nunjucks', 'twig', 'html.j2'],
    blockComments: [{ open: '{#', close: '#}' }, HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'handlebars',
    name: 'Handlebars / Mustache',
    extensions: ['hbs', 'handlebars', 'mustache'],
    blockComments: [{ open: '{{!--', close: '--}}' }, { open: '{{!', close: '}}' }, HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'ejs',
    name: 'EJS',
    extensions: ['ejs'],
    blockComments: [{ open: '<%#', close: '%>' }, HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'erb',
    name: 'ERB',
    extensions: ['erb', 'rhtml'],
    blockComments: [{ open: '<%#', close: '%>' }, HTML_COMMENT],
    modes: ['markup'],
    embedded: MARKUP_EMBEDDED,
  },
  {
    id: 'css',
    name: 'CSS',
    extensions: ['css', 'pcss', 'postcss', 'wxss'],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'scss',
    name: 'SCSS',
    extensions: ['scss'],
    // `url(http://...)` and `url(//cdn/...)` are not comments.
    lineComments: [{ token: '//', notAfter: ':(' }],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'sass',
    name: 'Sass',
    extensions: ['sass'],
    lineComments: [{ token: '//', notAfter: ':(' }],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'less',
    name: 'Less',
    extensions: ['less'],
    lineComments: [{ token: '//', notAfter: ':(' }],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },
  {
    id: 'stylus',
    name: 'Stylus',
    extensions: ['styl', 'stylus'],
    lineComments: [{ token: '//', notAfter: ':(' }],
    blockComments: [C_BLOCK],
    strings: [DQ, SQ],
  },

  // --- Others ---------------------------------------------------------------------------------
  {
    id: 'assembly',
    name: 'Assembly',
    extensions: ['asm', 's', 'nasm', 'a51', 'z80'],
    lineComments: [{ token: ';' }, { token: '#', at: 'line-start' }, SLASH2],
    blockComments: [C_BLOCK],
    strings: [DQ, CHAR],
  },
  {
    id: 'fortran',
    name: 'Fortran',
    extensions: ['f90', 'f95', 'f03', 'f08', 'f18'],
    lineComments: [{ token: '!' }],
    strings: [
      { open: "'", close: "'", closeEscapes: "'" },
      { open: '"', close: '"', closeEscapes: '"' },
    ],
  },
  {
    id: 'fortran-fixed',
    name: 'Fortran (fixed form)',
    extensions: ['f', 'for', 'f77', 'ftn', 'fpp'],
    lineComments: [
      { token: 'c', at: 'column-1', ignoreCase: true },
      { token: '*', at: 'column-1' },
      { token: '!' },
    ],
    strings: [
      { open: "'", close: "'", closeEscapes: "'" },
      { open: '"', close: '"', closeEscapes: '"' },
    ],
  },
  {
    id: 'vb',
    name: 'Visual Basic (VB.NET, VBA, VBScript)',
    extensions: ['vb', 'vbs', 'bas', 'vba', 'frm', 'vbhtml'],
    lineComments: [{ token: "'" }, { token: 'rem', at: 'line-start', ignoreCase: true, wordEnd: true }],
    strings: [{ open: '"', close: '"', closeEscapes: '"' }],
  },
  {
    id: 'matlab',
    name: 'MATLAB / Octave',
    // `.m` is Objective-C by name; scanFile tells MATLAB apart by content (see refineLanguage).
    lineComments: [{ token: '%' }],
    blockComments: [{ open: '%{', close: '%}', nested: true, at: 'line-start' }],
    strings: [
      { open: '"', close: '"', closeEscapes: '"' },
      // A quote after a value is the transpose operator.
      { open: "'", close: "'", closeEscapes: "'", notAfterWord: true, notAfter: ")]}.'" },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Lookup

const byId = new Map<string, Language>();
const byName = new Map<string, Language>();
const byExtension = new Map<string, Language>();
const prefixes: [string, Language][] = [];

for (const language of LANGUAGES) {
  byId.set(language.id, language);
  if (language.internal === true) continue;
  for (const name of language.fileNames ?? []) byName.set(name, language);
  for (const prefix of language.fileNamePrefixes ?? []) prefixes.push([prefix, language]);
  for (const ext of language.extensions ?? []) {
    byExtension.set(ext, language);
  }
}

/** The table entry with this id (including internal ones), if any. */
export function getLanguage(id: string): Language | undefined {
  return byId.get(id);
}

/**
 * The language of a file by its path: exact base name first (`Makefile`, `.bashrc`), then base-name
 * prefixes (`Dockerfile.dev`), then the longest known extension (`x.blade.php` before `x.php`),
 * case-insensitively. Cheap: no I/O. Extensionless scripts need {@link languageForShebang}.
 */
export function languageFor(path: string): Language | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const base = slash >= 0 ? path.slice(slash + 1) : path;
  const named = byName.get(base);
  if (named !== undefined) return named;
  for (const [prefix, language] of prefixes) {
    if (base.startsWith(prefix) && base.length > prefix.length) return language;
  }
  const lower = base.toLowerCase();
  // A leading dot is a hidden file's name, not an extension (`.gitignore` is handled by name).
  // Longest extension first: `x.blade.php` tries `blade.php`, then `php`.
  let dot = lower.indexOf('.', 1);
  if (dot < 0) return lower.startsWith('.') ? byExtension.get(lower.slice(1)) : undefined;
  while (dot >= 0) {
    const language = byExtension.get(lower.slice(dot + 1));
    if (language !== undefined) return language;
    dot = lower.indexOf('.', dot + 1);
  }
  return undefined;
}

/**
 * Cheap pre-read filter: false when {@link languageFor} does not know the file and its extension
 * says it is data or binary (images, fonts, archives, source maps...), so no shebang or modeline
 * can make it a script. Other unknown names are read for one: `*.tc`, `*.sample`, `*.postinst`,
 * `python3.9` are often shell or Python scripts.
 */
export function languageMayApply(path: string): boolean {
  return languageFor(path) !== undefined || !isDataFile(path);
}

/** Has the file name an extension (a dot after its first character)? */
export function hasExtension(path: string): boolean {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.indexOf('.', slash + 2) >= 0;
}

/** Extensions of files that are never code: not even opened to look for a shebang. */
const DATA_EXTENSIONS = new Set([
  'map', 'png', 'jpg', 'jpeg', 'gif', 'ico', 'icns', 'bmp', 'tif', 'tiff', 'webp', 'avif', 'heic', 'psd',
  'woff', 'woff2', 'ttf', 'otf', 'eot', 'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar',
  'jar', 'war', 'class', 'so', 'dylib', 'dll', 'exe', 'o', 'a', 'lib', 'obj', 'pyc', 'wasm', 'node',
  'mp3', 'mp4', 'm4a', 'wav', 'ogg', 'flac', 'webm', 'mov', 'avi', 'mkv', 'bin', 'dat', 'db', 'sqlite',
  'lock', 'sum', 'snap', 'csv', 'tsv', 'parquet', 'pem', 'crt', 'der', 'p12', 'key', 'pub', 'asc', 'sig',
  'patch', 'diff', 'log',
]);

/** Known by its extension to hold no code (see {@link DATA_EXTENSIONS}). */
export function isDataFile(path: string): boolean {
  if (!hasExtension(path)) return false;
  const dot = path.lastIndexOf('.');
  return DATA_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

const INTERPRETERS: Record<string, string> = {
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', dash: 'shell', ash: 'shell', mksh: 'shell',
  busybox: 'shell', fish: 'fish',
  python: 'python', pypy: 'python', jython: 'python',
  ruby: 'ruby', jruby: 'ruby', macruby: 'ruby',
  perl: 'perl',
  node: 'javascript', nodejs: 'javascript', deno: 'typescript', bun: 'javascript', 'ts-node': 'typescript',
  tsx: 'typescript',
  php: 'php', lua: 'lua', luajit: 'lua', Rscript: 'r', julia: 'julia', elixir: 'elixir',
  escript: 'erlang', tclsh: 'tcl', wish: 'tcl', pwsh: 'powershell', powershell: 'powershell',
  groovy: 'groovy', make: 'makefile', awk: 'shell',
};

/**
 * The language of an extensionless script from its first line (`#!/usr/bin/env bash`,
 * `#!/usr/bin/python3.11`, `#!/usr/bin/env -S node --flag`).
 */
export function languageForShebang(firstLine: string): Language | undefined {
  if (!firstLine.startsWith('#!')) return undefined;
  const words = firstLine.slice(2).trim().split(/\s+/);
  let program = basename(words[0] ?? '');
  let k = 1;
  if (program === 'env') {
    // Skip env's options and VAR=value assignments to reach the interpreter.
    while (k < words.length && (words[k]!.startsWith('-') || words[k]!.includes('='))) k++;
    program = basename(words[k] ?? '');
  }
  const id = INTERPRETERS[program] ?? INTERPRETERS[program.replace(/[\d.]+$/, '')];
  return id === undefined ? undefined : byId.get(id);
}

/** Editor mode names (Emacs `-*- C++ -*-`, Vim `vim: ft=cpp`) to languages of this table. */
export const EDITOR_MODES: Readonly<Record<string, string>> = {
  c: 'c', 'c++': 'cpp', cpp: 'cpp', cc: 'cpp', objc: 'objective-c', 'objective-c': 'objective-c', csharp: 'csharp', cs: 'csharp',
  java: 'java', kotlin: 'kotlin', scala: 'scala', groovy: 'groovy', go: 'go', rust: 'rust', swift: 'swift', dart: 'dart',
  js: 'javascript', js2: 'javascript', javascript: 'javascript', typescript: 'typescript', ts: 'typescript', json: 'json',
  python: 'python', py: 'python', perl: 'perl', cperl: 'perl', ruby: 'ruby', rb: 'ruby', php: 'php', lua: 'lua', r: 'r',
  'ess-r': 'r', julia: 'julia', elixir: 'elixir', erlang: 'erlang', clojure: 'clojure', lisp: 'lisp', 'emacs-lisp': 'lisp',
  'common-lisp': 'lisp', scheme: 'lisp', haskell: 'haskell', ocaml: 'ocaml', tuareg: 'ocaml', fsharp: 'fsharp', nim: 'nim',
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', 'shell-script': 'shell', fish: 'fish', powershell: 'powershell',
  ps1: 'powershell', tcl: 'tcl', vim: 'vim', sql: 'sql', yaml: 'yaml', toml: 'toml', ini: 'ini', conf: 'conf',
  'conf-unix': 'conf', makefile: 'makefile', make: 'makefile', 'makefile-gmake': 'makefile', cmake: 'cmake', nix: 'nix',
  dockerfile: 'dockerfile', html: 'html', xml: 'xml', nxml: 'xml', css: 'css', scss: 'scss', less: 'less',
  markdown: 'markdown', md: 'markdown', rst: 'rst', tex: 'latex', latex: 'latex', fortran: 'fortran', asm: 'assembly',
};

/**
 * The language an editor modeline in the first lines names: Emacs `-*- C++ -*-` or
 * `-*- mode: python; coding: utf-8 -*-` (first line, or second after a shebang), Vim
 * `vim: set ft=cpp:` or `vi: filetype=sh` (first five lines). For files without an extension,
 * such as C++'s standard headers (`<chrono>`, `<mutex>`).
 */
export function languageForModeline(head: string): Language | undefined {
  const lines = head.split(/\r\n|\r|\n/, 5);
  for (const line of lines.slice(0, 2)) {
    const emacs = /-\*-(.*?)-\*-/.exec(line)?.[1]?.trim();
    if (emacs === undefined) continue;
    const name = emacs.includes(':') ? /(?:^|;)\s*mode\s*:\s*([^\s;]+)/i.exec(emacs)?.[1] : emacs;
    const id = name === undefined ? undefined : EDITOR_MODES[name.toLowerCase().replace(/-mode$/, '')];
    if (id !== undefined) return byId.get(id);
  }
  for (const line of lines) {
    // `vim: set ts=2 ft=cpp:` — option words up to `ft=`, as Vim reads them.
    const vim = /(?:^|\s)(?:vim?|ex):\s*(?:set?\s+)?(?:[\w-]+(?:=[^\s:]*)?[\s:]+)*?(?:ft|filetype)=([\w+-]+)/.exec(line)?.[1];
    const id = vim === undefined ? undefined : EDITOR_MODES[vim.toLowerCase()];
    if (id !== undefined) return byId.get(id);
  }
  return undefined;
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}
