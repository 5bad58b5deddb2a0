import { describe, expect, it } from 'vitest';
import { getLanguage } from './languages.js';
import type { Marker } from './scanner.js';
import { isGenerated, scanFile, scanFileUnchecked, scanText } from './scanner.js';

const TAGS = { tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'] };

function scan(id: string, source: string, tags = TAGS): Marker[] {
  const language = getLanguage(id);
  if (language === undefined) throw new Error(`no language ${id}`);
  return scanText(source, language, tags);
}

/** `line:TAG:text`, the shape most assertions compare. */
function brief(markers: readonly Marker[]): string[] {
  return markers.map((m) => `${m.line}:${m.tag}:${m.text}`);
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

interface LanguageCase {
  id: string;
  /** Source with markers in comments. */
  yes: string;
  /** `line:TAG:text` of each marker in `yes`. */
  expected: string[];
  /** Source whose tags all sit in strings (or otherwise outside comments): no marker. */
  no?: string;
}

const CASES: LanguageCase[] = [
  // --- C family
  {
    id: 'c',
    yes: 'int x = 1\'000; // TODO: free buffer\n/* FIXME first\n * second line */\n#define A 1 // HACK: continued \\\n   XXX still comment\n',
    expected: ['1:TODO:free buffer', '2:FIXME:first', '4:HACK:continued \\', '5:XXX:still comment'],
    no: 'char *s = "// TODO no"; char c = \'"\'; char *t = "/* FIXME no */";\nchar *u = "a\\"// BUG no";\n',
  },
  {
    id: 'cpp',
    yes: 'auto s = R"x( ")x"; // TODO: after raw\n',
    expected: ['1:TODO:after raw'],
    no: 'auto s = R"d(// TODO no )" still)d";\nauto t = u8R"(/* FIXME no */)";\n',
  },
  {
    id: 'objective-c',
    yes: '// TODO: bridge\nNSString *s = @"x"; /* FIXME: y */\n',
    expected: ['1:TODO:bridge', '2:FIXME:y'],
    no: 'NSString *s = @"// TODO no";\n',
  },
  {
    id: 'csharp',
    yes: 'var p = @"C:\\dir\\"; // TODO: verbatim ended\nvar q = """\n "quoted" // not yet\n """; // FIXME: raw ended\n',
    expected: ['1:TODO:verbatim ended', '4:FIXME:raw ended'],
    no: 'var a = @"a ""// TODO no"" b";\nvar b = """\n  // TODO no\n  """;\nvar c = $"{x} // FIXME no";\nchar d = \'"\';\n',
  },
  {
    id: 'java',
    yes: '/** TODO: document */\nclass A {} // FIXME(bob): rename\n',
    expected: ['1:TODO:document', '2:FIXME:rename'],
    no: 'String s = """\n  // TODO no\n  """;\nString t = "/* FIXME no */";\n',
  },
  {
    id: 'kotlin',
    yes: '/* outer /* inner */ TODO: still comment */\nval x = 1 // FIXME: y\n',
    expected: ['1:TODO:still comment', '2:FIXME:y'],
    no: 'val s = "${"// TODO no"} // FIXME no"\nval t = """// HACK no"""\n',
  },
  {
    id: 'scala',
    yes: '/* a /* b */ TODO: nested */\n',
    expected: ['1:TODO:nested'],
    no: 'val s = """// TODO no"""\nval c = \'"\'\nval t = "// FIXME no"\n',
  },
  {
    id: 'groovy',
    yes: "def r = /\\/\\/ not a comment/ // TODO: after regex\n",
    expected: ['1:TODO:after regex'],
    no: "def s = '''// TODO no'''\ndef t = \"${x} // FIXME no\"\n",
  },
  {
    id: 'go',
    yes: 'x := \'"\' // TODO: rune quote\n',
    expected: ['1:TODO:rune quote'],
    no: 's := `// TODO no\n/* FIXME no */`\nt := "// HACK no"\n',
  },
  {
    id: 'rust',
    yes: "/* outer /* inner */ TODO: x */\nfn f<'a>(x: &'a str) {} // FIXME: after lifetime\nlet c = '\"'; // HACK: after char\n",
    expected: ['1:TODO:x', '2:FIXME:after lifetime', '3:HACK:after char'],
    no: 'let s = r#"// TODO no " still"#;\nlet b = b"// FIXME no";\nlet m = "multi\n// HACK no\n";\n',
  },
  {
    id: 'swift',
    yes: '/* a /* b */ TODO: nested */\nlet s = "\\(a + ")")" // FIXME: after interpolation\n',
    expected: ['1:TODO:nested', '2:FIXME:after interpolation'],
    no: 'let s = #"// TODO no "# "#\nlet t = "\\(a + "// FIXME no")"\nlet u = """\n// HACK no\n"""\n',
  },
  {
    id: 'dart',
    yes: "var s = r'\\'; // TODO: raw ended\n/* a /* b */ FIXME: nested */\n",
    expected: ['1:TODO:raw ended', '2:FIXME:nested'],
    no: "var s = '''// TODO no''';\nvar t = \"${'// FIXME no'}\";\n",
  },
  {
    id: 'd',
    yes: '/+ a /+ b +/ TODO: nested +/\n',
    expected: ['1:TODO:nested'],
    no: 'auto s = `// TODO no`;\nauto t = r"\\// FIXME no";\n',
  },
  {
    id: 'solidity',
    yes: 'uint x; // TODO: overflow\n',
    expected: ['1:TODO:overflow'],
    no: 'string s = "// TODO no";\n',
  },
  {
    id: 'zig',
    yes: 'const x = 1; // TODO: zig\n',
    expected: ['1:TODO:zig'],
    no: 'const s =\n    \\\\ // TODO no\n    \\\\ more\n;\nconst t = "// FIXME no";\n',
  },
  { id: 'protobuf', yes: '// TODO: field\n', expected: ['1:TODO:field'], no: 'option x = "// TODO no";\n' },
  { id: 'thrift', yes: '# TODO: x\n', expected: ['1:TODO:x'], no: 'const string s = "# TODO no"\n' },
  { id: 'prisma', yes: '// TODO: index\n', expected: ['1:TODO:index'], no: 'url = "// TODO no"\n' },
  { id: 'pascal', yes: '{ TODO: brace comment }\n(* FIXME: paren *)\n', expected: ['1:TODO:brace comment', '2:FIXME:paren'], no: "s := '// TODO no';\n" },

  // --- JavaScript family
  {
    id: 'javascript',
    yes: 'x = /\\/*"/; // TODO: after regex\nconst t = `${"`"} a`; // FIXME: after template\nreturn /#/.test(a); // HACK: keyword regex\n',
    expected: ['1:TODO:after regex', '2:FIXME:after template', '3:HACK:keyword regex'],
    no: 'const s = "// TODO no";\nconst t = `\n// FIXME no ${x} /* HACK no */`;\nconst u = \'/* BUG no */\';\nconst r = /\\/\\/ XXX no/;\n',
  },
  {
    id: 'typescript',
    yes: 'const a = b / c; // TODO(alice): retry on 503\n',
    expected: ['1:TODO:retry on 503'],
    no: 'const s: string = "// TODO no";\nconst t = `${`// FIXME no`}`;\n',
  },
  { id: 'json', yes: '{\n  // TODO: comment in jsonc\n}\n', expected: ['2:TODO:comment in jsonc'], no: '{"a": "// TODO no", "b": "/* FIXME no */"}\n' },
  {
    id: 'coffeescript',
    yes: '# TODO: x\n###\nFIXME: block\n###\n',
    expected: ['1:TODO:x', '3:FIXME:block'],
    no: 's = "#{x} # TODO no"\n',
  },

  // --- Scripting
  {
    id: 'python',
    yes: 'def f():\n    """TODO: docstring counts."""\n    # FIXME: comment\n    """HACK: bare string statement"""\n',
    expected: ['2:TODO:docstring counts.', '3:FIXME:comment', '4:HACK:bare string statement'],
    no: 'x = """TODO no"""\nf("""FIXME no""")\ny = (\n    """HACK no"""\n)\ns = "# BUG no"\nt = \'# XXX no\'\n',
  },
  { id: 'starlark', yes: 'cc_library(name = "x")  # TODO: split\n', expected: ['1:TODO:split'], no: 'name = "# TODO no"\n' },
  {
    id: 'ruby',
    yes: '# TODO: x\n=begin\nFIXME: in block\n=end\nputs 1 # HACK: after\n',
    expected: ['1:TODO:x', '3:FIXME:in block', '5:HACK:after'],
    no: 'a = <<~EOS\n  # TODO no\nEOS\nb = %q{# FIXME no}\nc = "#{x} # HACK no"\nd = /# BUG no/\n',
  },
  {
    id: 'perl',
    yes: 'my $n = $#a; # TODO: after last-index\n=pod\n\nFIXME: in pod\n\n=cut\nprint 1;\n',
    expected: ['1:TODO:after last-index', '4:FIXME:in pod'],
    no: 'my $s = q{# TODO no};\nmy $t = "# FIXME no";\n$x =~ s/#//g;\nprint <<"EOF";\n# HACK no\nEOF\n',
  },
  {
    id: 'php',
    yes: '<!-- TODO: html part -->\n<?php\n// FIXME: php part\n# HACK: hash\n$x = 1; /* XXX: block */\n',
    expected: ['1:TODO:html part', '3:FIXME:php part', '4:HACK:hash', '5:XXX:block'],
    no: '<?php $s = \'// TODO no\'; $h = <<<EOT\n# FIXME no\nEOT;\n// a ?>\n<p>"# HACK no" // BUG no</p>\n',
  },
  {
    id: 'lua',
    yes: '-- TODO: line\n--[[ FIXME: block ]]\n--[==[\nHACK: long\n]==]\n',
    expected: ['1:TODO:line', '2:FIXME:block', '4:HACK:long'],
    no: 'local s = [[-- TODO no]]\nlocal t = "-- FIXME no"\nlocal u = [==[\n-- HACK no ]]\n]==]\nlocal v = "b\\z\n   -- TODO: inside, after \\z"\nlocal w = \'a\\z\r\n\r\n  -- XXX no\'\n',
  },
  { id: 'r', yes: 'x <- 1 # TODO: vectorise\n', expected: ['1:TODO:vectorise'], no: 's <- "# TODO no"\n' },
  {
    id: 'julia',
    yes: "#= TODO: block =#\ny = a' # FIXME: after transpose\n",
    expected: ['1:TODO:block', '2:FIXME:after transpose'],
    no: 's = """# TODO no"""\nt = "$(f("# FIXME no"))"\n',
  },
  {
    id: 'haskell',
    yes: "x --> y -- TODO: after operator\nf' = 1 {- FIXME: block -}\n",
    expected: ['1:TODO:after operator', '2:FIXME:block'],
    no: 's = "-- TODO no"\nc = \'"\'\n',
  },
  { id: 'elm', yes: '-- TODO: elm\n', expected: ['1:TODO:elm'], no: 's = "-- TODO no"\n' },
  { id: 'purescript', yes: '{- TODO: ps -}\n', expected: ['1:TODO:ps'], no: 's = "{- TODO no -}"\n' },
  {
    id: 'elixir',
    yes: 'c = ?# # TODO: after char\n',
    expected: ['1:TODO:after char'],
    no: 's = ~s(# TODO no)\nt = "#{x} # FIXME no"\nu = """\n# HACK no\n"""\nr = ~r/# BUG no/\n',
  },
  { id: 'erlang', yes: 'C = $%, % TODO: after char\n', expected: ['1:TODO:after char'], no: 'S = "% TODO no".\n' },
  { id: 'clojure', yes: '(def c \\;) ; TODO: after char\n', expected: ['1:TODO:after char'], no: '(def s "; TODO no")\n' },
  { id: 'lisp', yes: '; TODO: x\n#| FIXME: block |#\n', expected: ['1:TODO:x', '2:FIXME:block'], no: '(setq s "; TODO no")\n' },
  {
    id: 'ocaml',
    yes: '(* a (* b *) TODO: nested *)\n',
    expected: ['1:TODO:nested'],
    no: 'let s = "(* TODO no *)"\nlet t = {|(* FIXME no *)|}\nlet u = {id|(* HACK no *)|id}\n',
  },
  {
    id: 'fsharp',
    yes: 'let f = (*) // TODO: after operator\n(* FIXME: block *)\n',
    expected: ['1:TODO:after operator', '2:FIXME:block'],
    no: 'let s = """// TODO no"""\nlet t = @"// FIXME no"\n',
  },
  { id: 'nim', yes: '#[ TODO: block ]#\n# FIXME: line\n', expected: ['1:TODO:block', '2:FIXME:line'], no: 'let s = """# TODO no"""\n' },
  {
    id: 'shell',
    yes: 'echo $# ${#x} a#b # TODO: real comment\n# FIXME: line\n',
    expected: ['1:TODO:real comment', '2:FIXME:line'],
    no: 'echo "# TODO no" \'# FIXME no\' a#HACK\ncat <<EOF\n# BUG no\nEOF\necho "$(echo "# XXX no")"\ncat <<-\'END\'\n\t# TODO no\n\tEND\n',
  },
  { id: 'fish', yes: 'echo hi # TODO: fish\n', expected: ['1:TODO:fish'], no: "echo '# TODO no'\n" },
  {
    id: 'dockerfile',
    yes: '# TODO: pin the base image\nFROM node:24\n',
    expected: ['1:TODO:pin the base image'],
    no: 'RUN echo "# TODO no"\n',
  },
  {
    id: 'powershell',
    yes: '# TODO: x\n<# FIXME: block #>\n',
    expected: ['1:TODO:x', '2:FIXME:block'],
    no: '$s = "# TODO no"\n$h = @"\n# FIXME no\n"@\n$t = \'# HACK no\'\n',
  },
  {
    id: 'batch',
    yes: 'REM TODO: x\n:: FIXME: y\n@rem HACK: z\n',
    expected: ['1:TODO:x', '2:FIXME:y', '3:HACK:z'],
    no: 'echo REM TODO no\nREMARK FIXME no\n',
  },
  { id: 'tcl', yes: '# TODO: tcl\n', expected: ['1:TODO:tcl'], no: 'puts "# TODO no"\n' },
  { id: 'vim', yes: '" TODO: vim\n', expected: ['1:TODO:vim'], no: 'echo "TODO no"\n' },

  // --- Data, query and config
  {
    id: 'sql',
    yes: "-- TODO: index\n/* FIXME: block */\nCREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  -- HACK: in the body\n  RETURN 1; /* XXX: too */\nEND $body$ LANGUAGE plpgsql;\nSELECT E'it\\'s'; -- BUG: after an escape string\n\\echo Use \"CREATE EXTENSION x\n-- TODO: after a psql meta-command\n",
    expected: ['1:TODO:index', '2:FIXME:block', '5:HACK:in the body', '6:XXX:too', '8:BUG:after an escape string', '10:TODO:after a psql meta-command'],
    no: "SELECT '-- TODO no', 'it''s -- FIXME no', $$ SELECT '-- HACK no' $$, $tag$ '/* BUG no */' $tag$, e'\\' -- XXX no';\n",
  },
  {
    id: 'mysql',
    yes: "INSERT INTO t VALUES ('it\\'s'); -- TODO: after a backslash escape\n# FIXME: hash comment\n",
    expected: ['1:TODO:after a backslash escape', '2:FIXME:hash comment'],
    no: "SELECT 'a\\' -- TODO no', \"b\\\" # FIXME no\";\n",
  },
  { id: 'graphql', yes: '# TODO: x\n', expected: ['1:TODO:x'], no: 'type A { f(s: String = "# TODO no"): Int }\n"""\n# FIXME no\n"""\n' },
  {
    id: 'yaml',
    yes: '# TODO: x\nrun: |\n  # not a comment\n  echo\nnext: 1 # FIXME: after block scalar\n',
    expected: ['1:TODO:x', '5:FIXME:after block scalar'],
    no: 'a: "# TODO no"\nb: \'# FIXME no\'\nc: a#HACK\nd: >-\n  # BUG no\n',
  },
  { id: 'toml', yes: '# TODO: x\na = 1 # FIXME: y\n', expected: ['1:TODO:x', '2:FIXME:y'], no: 'a = "# TODO no"\nb = \'\'\'# FIXME no\'\'\'\n' },
  { id: 'ini', yes: '; TODO: x\n# FIXME: y\n', expected: ['1:TODO:x', '2:FIXME:y'], no: 'key = value # TODO no\n' },
  { id: 'properties', yes: '# TODO: x\n! FIXME: y\n', expected: ['1:TODO:x', '2:FIXME:y'], no: 'key=value # TODO no\n' },
  { id: 'conf', yes: 'listen 80; # TODO: tls\n', expected: ['1:TODO:tls'], no: 'add_header X "# TODO no";\ncolor a#FIXME;\n' },
  { id: 'ignore-file', yes: '# TODO: x\n', expected: ['1:TODO:x'], no: 'dist/\n #TODO no\n' },
  { id: 'makefile', yes: 'all: # TODO: x\n\techo hi\n', expected: ['1:TODO:x'], no: 'A = \\# TODO no\n\techo "# FIXME no"\n' },
  {
    id: 'cmake',
    yes: '# TODO: x\n#[[ FIXME: bracket\n]]\n',
    expected: ['1:TODO:x', '2:FIXME:bracket'],
    no: 'set(S "# TODO no")\nset(T [[# FIXME no]])\n',
  },
  {
    id: 'hcl',
    yes: '# TODO: x\n// FIXME: y\n/* HACK: z */\n',
    expected: ['1:TODO:x', '2:FIXME:y', '3:HACK:z'],
    no: 'a = "# TODO no ${f("// FIXME no")}"\nb = <<EOT\n# HACK no\nEOT\n',
  },
  { id: 'nix', yes: '# TODO: x\n/* FIXME: y */\n', expected: ['1:TODO:x', '2:FIXME:y'], no: "a = \"# TODO no\";\nb = ''\n  # FIXME no ''${x}\n'';\n" },
  { id: 'jsonnet', yes: '// TODO: x\n# FIXME: y\n', expected: ['1:TODO:x', '2:FIXME:y'], no: "local s = |||\n  # TODO no\n|||;\nlocal t = '// FIXME no';\n" },

  // --- Markup and styles
  {
    id: 'html',
    yes: '<!-- TODO: html -->\n<script>\n// FIXME: js\n</script>\n<style>/* HACK: css */</style>\n',
    expected: ['1:TODO:html', '3:FIXME:js', '5:HACK:css'],
    no: '<a title="<!-- TODO no -->">x</a>\n<script>var s = "<!-- FIXME no -->";</script>\n<p>// HACK no</p>\n',
  },
  {
    id: 'xml',
    yes: '<?xml version="1.0"?>\n<!-- TODO: xml -->\n<a/>\n',
    expected: ['2:TODO:xml'],
    no: '<a b="<!-- TODO no -->"/>\n<![CDATA[ <!-- FIXME no --> ]]>\n',
  },
  {
    id: 'vue',
    yes: '<template><!-- TODO: t --></template>\n<script lang="ts">\n// FIXME: s\n</script>\n<style scoped lang="scss">\n// HACK: st\n</style>\n',
    expected: ['1:TODO:t', '3:FIXME:s', '6:HACK:st'],
    no: '<script>const s = "<!-- TODO no -->";</script>\n<style>a { content: "/* FIXME no */"; }</style>\n',
  },
  { id: 'svelte', yes: '<script>\n// TODO: svelte\n</script>\n', expected: ['2:TODO:svelte'], no: '<script>let s = "// TODO no";</script>\n' },
  {
    id: 'astro',
    yes: '---\n// TODO: frontmatter\nconst a = 1;\n---\n<!-- FIXME: template -->\n',
    expected: ['2:TODO:frontmatter', '5:FIXME:template'],
    no: '---\nconst s = "// TODO no";\n---\n<p>// FIXME no</p>\n',
  },
  {
    id: 'markdown',
    yes: '# Title\n\n<!-- TODO: write intro -->\n',
    expected: ['3:TODO:write intro'],
    no: 'TODO no: prose is not a comment\n`<!-- FIXME no -->`\n```html\n<!-- HACK no -->\n```\n',
  },
  {
    id: 'rst',
    yes: 'Title\n=====\n\n.. TODO: comment\n   continued FIXME: here\n\nText\n',
    expected: ['4:TODO:comment', '5:FIXME:here'],
    no: '.. todo:: a Sphinx directive, not a comment\n\nTODO no in prose\n',
  },
  { id: 'latex', yes: '% TODO: cite\n', expected: ['1:TODO:cite'], no: '50\\% TODO no\n' },
  { id: 'jinja', yes: '{# TODO: jinja #}\n', expected: ['1:TODO:jinja'], no: '<p>{{ "# TODO no" }}</p>\n' },
  { id: 'handlebars', yes: '{{!-- TODO: x --}}\n{{! FIXME: y }}\n', expected: ['1:TODO:x', '2:FIXME:y'], no: '<p>TODO no</p>\n' },
  { id: 'ejs', yes: '<%# TODO: ejs %>\n', expected: ['1:TODO:ejs'], no: '<p>TODO no</p>\n' },
  { id: 'erb', yes: '<%# TODO: erb %>\n', expected: ['1:TODO:erb'], no: '<p>TODO no</p>\n' },
  { id: 'css', yes: 'a { color: red; } /* TODO: theme */\n', expected: ['1:TODO:theme'], no: 'a::after { content: "/* TODO no */"; }\n' },
  {
    id: 'scss',
    yes: 'a { background: url(http://x/y.png); } // TODO: after url\n',
    expected: ['1:TODO:after url'],
    no: 'a { b: url(//cdn/TODO.png); content: "// FIXME no"; }\n',
  },
  { id: 'sass', yes: '// TODO: sass\n', expected: ['1:TODO:sass'], no: 'a\n  content: "// TODO no"\n' },
  { id: 'less', yes: '// TODO: less\n', expected: ['1:TODO:less'], no: 'a { content: "// TODO no"; }\n' },
  { id: 'stylus', yes: '// TODO: stylus\n', expected: ['1:TODO:stylus'], no: 'a\n  content "// TODO no"\n' },

  // --- Others
  { id: 'assembly', yes: 'mov eax, 1 ; TODO: x\n', expected: ['1:TODO:x'], no: 'msg db "; TODO no", 0\n' },
  { id: 'fortran', yes: 'x = 1 ! TODO: x\n', expected: ['1:TODO:x'], no: "print *, '! TODO no'\n" },
  { id: 'fortran-fixed', yes: 'C     TODO: x\n      X = 1\n', expected: ['1:TODO:x'], no: "      PRINT *, 'C TODO no'\n" },
  { id: 'vb', yes: "' TODO: x\nREM FIXME: y\n", expected: ['1:TODO:x', '2:FIXME:y'], no: 's = "\' TODO no"\n' },
  {
    id: 'matlab',
    yes: "% TODO: x\n%{\nFIXME: block\n%}\ny = a' % HACK: after transpose\n",
    expected: ['1:TODO:x', '3:FIXME:block', '5:HACK:after transpose'],
    no: "s = '% TODO no';\n",
  },
];

describe('languages', () => {
  describe.each(CASES)('$id', ({ id, yes, expected, no }) => {
    it('finds markers in comments', () => {
      expect(brief(scan(id, yes))).toEqual(expected);
    });
    if (no !== undefined) {
      it('ignores tags in strings', () => {
        expect(brief(scan(id, no))).toEqual([]);
      });
    }
  });
});

describe('Perl and Ruby constructs found on real code (perl 5.36 and CPython 3.11 sources)', () => {
  const perl = (src: string) => brief(scan('perl', src));

  it('reads `$"`, `$\'` and `` $` `` as variables, not string openers', () => {
    expect(perl('local($") = "/";\n# XXX: after the list separator\n')).toEqual(['2:XXX:after the list separator']);
    expect(perl("print $';\n# TODO: after postmatch\n")).toEqual(['2:TODO:after postmatch']);
    expect(perl('print $`;\n# FIXME: after prematch\n')).toEqual(['2:FIXME:after prematch']);
  });

  it('follows a /x regex over several lines, with quotes in its comments', () => {
    const src = [
      'while ($help =~ /^',
      "    <?           # Optional '<'",
      '    ([\\s\\S]*?)  # Description line(s)',
      '   /mgx) {',
      '}',
      '# XXX: after the regex',
    ].join('\n');
    expect(perl(src)).toEqual(['6:XXX:after the regex']);
    // A lone slash (a division guess that fails) stops at the next blank line.
    expect(perl('my $x = $a / $b;\nreturn / 2;\n\n# TODO: later\n')).toEqual(['4:TODO:later']);
    // A division after `}` that meets the next regex's slash on a later line is no regex (no `x`).
    expect(perl('my $avg = $t{sum} / $t{n};  # TODO: guard zero\nmy @f = split /,/, $line;\n')).toEqual(['1:TODO:guard zero']);
    expect(brief(scan('ruby', 'avg = sum { |v| v } / 2  # TODO: guard zero\nparts = s.split(/,/)\n'))).toEqual(['1:TODO:guard zero']);
    // CRLF line ends are one line break, not a blank line.
    expect(perl('if ($x =~ /^ a+  # TODO: inside the regex\r\n   b /x) {}\r\n# FIXME: after\r\n')).toEqual(['3:FIXME:after']);
    expect(brief(scan('ruby', 'r = %r{a}\nx = /a\n  b # it\'s\n/x\n# TODO: after\n'))).toEqual(['5:TODO:after']);
  });

  it('closes Markdown fences indented in list items, and only with a run as long', () => {
    const md = (src: string) => brief(scan('markdown', src));
    expect(md('* item\n\n  ```js\n  x();\n  ```\n\n<!-- TODO: one -->\n')).toEqual(['7:TODO:one']);
    expect(md('* item\n\n  ```js\n  x();\n  ```\n\n```html\n<!-- TODO: not a marker -->\n```\n\n<!-- FIXME: real -->\n')).toEqual(['11:FIXME:real']);
    expect(md('````md\n```\n<!-- TODO: not a marker -->\n```\n````\n<!-- FIXME: real -->\n')).toEqual(['6:FIXME:real']);
    expect(md('~~~\n<!-- TODO: no -->\n~~~~\n<!-- XXX: after tildes -->\n')).toEqual(['4:XXX:after tildes']);
    // A closer must stand alone; unclosed, a fence runs to the end.
    expect(md('```\n``` not a closer <!-- TODO: no -->\n```\n<!-- HACK: yes -->\n```\n<!-- BUG: no -->\n')).toEqual(['4:HACK:yes']);
    // Backticks on the opening line make a code span, not a fence.
    expect(md('```a``` then <!-- TODO: after a span -->\n')).toEqual(['1:TODO:after a span']);
  });

  it("takes a YAML quote for a string only where a node starts (`a (b)'s`, `say \"hi` are text)", () => {
    const yaml = (src: string) => brief(scan('yaml', src));
    expect(yaml("- a (b)'s d\n# TODO: one\n")).toEqual(['2:TODO:one']);
    expect(yaml('k: say "hi\n# TODO: two\n')).toEqual(['2:TODO:two']);
    expect(yaml("a: x\\' y\nb: |\n  it's here\n  # TODO: not a marker\n")).toEqual([]);
    expect(yaml('a: "# TODO: no"\nb: [\'# FIXME: no\', "# XXX: no"]\n- "# HACK: no"\n"# BUG: no": 1\n')).toEqual([]);
  });

  it('reads Tcl comments where a command starts, and its quotes and backslashes as Tcl does', () => {
    const tcl = (src: string) => brief(scan('tcl', src));
    expect(tcl('set x 1; # TODO: one\nproc f {} { # FIXME: two\n}\n')).toEqual(['1:TODO:one', '2:FIXME:two']);
    expect(tcl('set x [string trim $y \\"]\n# TODO: after an escaped quote\n')).toEqual(['2:TODO:after an escaped quote']);
    expect(tcl('set x a"b\n# TODO: after a quote in a word\n')).toEqual(['2:TODO:after a quote in a word']);
    expect(tcl('set y {a # TODO no}\nputs "# FIXME no"\n')).toEqual([]);
  });

  it('ends Elixir sigils at the first closer, and reads `$\\"` (Erlang) and `?\\"` (Elixir) as characters', () => {
    const ex = (src: string) => brief(scan('elixir', src));
    expect(ex('x = ~r{a{b}\n# TODO: one\n')).toEqual(['2:TODO:one']);
    expect(ex('x = ~r[1[3]\n# TODO: two\n')).toEqual(['2:TODO:two']);
    expect(ex('x = ~s(a(b)\n# TODO: three\n')).toEqual(['2:TODO:three']);
    expect(ex('c = ?\\"\n# TODO: four\ndef f(x \\\\ 1), do: x\n# FIXME: five\n')).toEqual(['2:TODO:four', '4:FIXME:five']);
    expect(brief(scan('erlang', 'f() -> [$\\", $/].\n% TODO: one\n'))).toEqual(['2:TODO:one']);
  });

  it('reads CMake escaped quotes in unquoted arguments, `;` comments in .conf files and SVG as XML', () => {
    expect(brief(scan('cmake', 'set(X -DA=\\"${B}\\")\n# TODO: one\n'))).toEqual(['2:TODO:one']);
    expect(brief(scan('conf', '; TODO: semicolon comment\nkey = a;b # FIXME: hash\n'))).toEqual(['1:TODO:semicolon comment', '2:FIXME:hash']);
    expect(scanFile('icon.svg', utf8('<svg><!-- TODO: simplify path --><path d="M0"/></svg>\n'), TAGS)).toMatchObject({ language: 'xml', markers: [{ text: 'simplify path' }] });
  });

  it('lets a shebang name the language: of files the name does not tell, and over a wrong extension', () => {
    const shell = '#!/bin/sh\n# TODO: from the shebang\n';
    for (const path of ['ftrace/basic.tc', 'hooks/pre-commit.sample', 'bin/python3.9', 'debian/x.postinst', 'etc/init.d/update-rc.d', 't/run.t']) {
      expect(scanFile(path, utf8(shell), TAGS), path).toMatchObject({ kind: 'scanned', language: 'shell', markers: [{ text: 'from the shebang' }] });
    }
    expect(scanFile('notes.sample', utf8('just text # TODO no\n'), TAGS)).toEqual({ kind: 'skipped', reason: 'unsupported-language' });
    // Same reading, or no interpreter: the name stays.
    expect(scanFile('cli.ts', utf8('#!/usr/bin/env node\n// TODO: x\n'), TAGS)).toMatchObject({ language: 'typescript' });
    expect(scanFile('lib.rs', utf8('#![no_std]\n// TODO: x\n'), TAGS)).toMatchObject({ language: 'rust' });
  });

  it('reads a `.sql` file that shows MySQL\'s signs as MySQL: a backslash escapes in its strings', () => {
    const dump = "/*!40101 SET NAMES utf8 */;\nINSERT INTO t VALUES ('it\\'s'); -- TODO: after a backslash escape\n";
    const found = scanFile('dump.sql', utf8(dump), TAGS);
    expect(found).toMatchObject({ kind: 'scanned', language: 'mysql' });
    expect(found.kind === 'scanned' && brief(found.markers)).toEqual(['2:TODO:after a backslash escape']);
    const standard = "SELECT replace(p, '\\', '/'); -- TODO: a backslash alone\n";
    expect(scanFile('q.sql', utf8(standard), TAGS)).toMatchObject({ kind: 'scanned', language: 'sql', markers: [{ text: 'a backslash alone' }] });
  });

  it('lexes the holes of C# `$"…"` and Scala `s"…"` strings as code, strings in them included', () => {
    const cs = (src: string) => brief(scan('csharp', src));
    expect(cs('var s = $"{"// TODO: not a comment"}";\n')).toEqual([]);
    expect(cs('var s = $"{(a ? "x" : "y")}"; // TODO: after\n')).toEqual(['1:TODO:after']);
    expect(cs('var j = $"{{\\"key\\": {v}}}"; // TODO: braces doubled\nvar k = $"{{"; // FIXME: a brace\n')).toEqual([
      '1:TODO:braces doubled',
      '2:FIXME:a brace',
    ]);
    expect(cs('var v = $@"C:\\{dir}\\"; // TODO: verbatim\nvar w = @$"{"/* FIXME no */"}";\n')).toEqual(['1:TODO:verbatim']);
    const scala = (src: string) => brief(scan('scala', src));
    expect(scala('val s = s"${"// TODO: not a comment"}"\n')).toEqual([]);
    expect(scala('val t = f"${x}%2.2f // FIXME no" // TODO: after\nval d = s"$${" // XXX: a dollar and a brace\n')).toEqual([
      '1:TODO:after',
      '2:XXX:a dollar and a brace',
    ]);
    expect(scala('val u = s"""${"""""}""" // TODO: triple\nval r = raw"\\d+" // XXX: raw\n')).toEqual(['1:TODO:triple', '2:XXX:raw']);
  });

  it('reads Ruby\'s `$\'`, `` $` `` and `$"` as globals and `:%`, `:/`, `` :` `` as symbols (Rails, nokogiri)', () => {
    const ruby = (src: string) => brief(scan('ruby', src));
    expect(ruby('x = $`\n# TODO: after backtick global\n')).toEqual(['2:TODO:after backtick global']);
    expect(ruby('raw = $` + $\'\n# TODO: after postmatch\n')).toEqual(['2:TODO:after postmatch']);
    expect(ruby('y = $"\n# TODO: after loaded-features global\n')).toEqual(['2:TODO:after loaded-features global']);
    expect(ruby('h = { :$" => 1 }\n# TODO: after symbol\n')).toEqual(['2:TODO:after symbol']);
    expect(ruby('s = "#{$`}::x"\n# TODO: after interpolation\n')).toEqual(['2:TODO:after interpolation']);
    expect(ruby("x = $'\ny = '# TODO: inside a string'\n")).toEqual([]);
    expect(ruby('ops = [:%, :/]\n# TODO: one\n')).toEqual(['2:TODO:one']);
    expect(ruby('ops = [:/, :%]\n# TODO: two\n')).toEqual(['2:TODO:two']);
    expect(ruby('m = :`\n# TODO: three\n')).toEqual(['2:TODO:three']);
    expect(ruby('send(:%, 2)\nalias_method :%, :at\n# TODO: four\n')).toEqual(['3:TODO:four']);
    // Still literals: after a hash key or keyword argument, and after `::`.
    expect(ruby('f(a:%w[# TODO no])\ng(b:/# FIXME no/)\n')).toEqual([]);
  });

  it('reads a Ruby `/` or `%` first on its line as a literal: a line break ended the statement (rubocop)', () => {
    const ruby = (src: string) => brief(scan('ruby', src));
    expect(ruby("def f(s)\n  /'/.match?(s)\nend\n# TODO: after regex at line start\n")).toEqual(['4:TODO:after regex at line start']);
    expect(ruby("def f\n  foo(1)\n  %(it's)\nend\n# TODO: after percent literal at line start\n")).toEqual([
      '5:TODO:after percent literal at line start',
    ]);
    // A `\` continuation carries the expression on: a division.
    expect(ruby("x = a \\\n  / 2 # TODO: divided\ny = 'b'\n")).toEqual(['2:TODO:divided']);
  });

  it("ends a Ruby file's code at `__END__`: what follows is data", () => {
    expect(brief(scan('ruby', '# TODO: code\nputs DATA.read\n__END__\n# TODO: data, not a comment\n'))).toEqual(['1:TODO:code']);
    expect(brief(scan('ruby', 'x = 1 # TODO: a\n__END__'))).toEqual(['1:TODO:a']);
    expect(brief(scan('ruby', 'x = "\n__END__\n" # TODO: still code\n'))).toEqual(['3:TODO:still code']);
  });

  it('reads `m,…,` as a match and `\\s` as no quote operator', () => {
    expect(perl('my $d = ($o =~ m,(.*)[/\\\\],s ? "$1/" : \'\' );\n# XXX: after the match\n')).toEqual(['2:XXX:after the match']);
    expect(perl('my %h = (s, 1);\n# TODO: after a bareword\n')).toEqual(['2:TODO:after a bareword']);
  });

  it('takes POD paragraphs as notes but not its verbatim (indented) code examples', () => {
    const src = ['=head1 TODO', '', 'TODO', '', '    TODO: {', '        local $TODO = "x";', '    }', '', '=cut', '# FIXME: code again', ''].join('\n');
    expect(perl(src)).toEqual(['3:TODO:', '10:FIXME:code again']);
  });
});

describe('marker forms', () => {
  const js = (src: string, tags = TAGS): Marker[] => scan('javascript', src, tags);

  it('reads `TODO:` and its text', () => {
    expect(js('// TODO: x')).toMatchObject([{ tag: 'TODO', line: 1, column: 4, text: 'x', comment: '// TODO: x' }]);
  });

  it('keeps a text that starts with a stop (`.5`, `.gitignore`, `./configure`), drops punctuation after the tag', () => {
    const texts = (src: string) => js(src).map((m) => m.text);
    expect(texts('// TODO .5 seconds is too long')).toEqual(['.5 seconds is too long']);
    expect(texts('// TODO: .gitignore handling')).toEqual(['.gitignore handling']);
    expect(texts('// TODO: ./configure flags')).toEqual(['./configure flags']);
    expect(texts('// FIXME: .field("release", &self.release)')).toEqual(['.field("release", &self.release)']);
    expect(texts('// TODO. Fix this')).toEqual(['Fix this']);
    expect(texts('// TODO, later')).toEqual(['later']);
    expect(texts('// TODO... maybe')).toEqual(['maybe']);
    expect(texts('// (TODO) x')).toEqual(['x']);
    expect(texts('// (TODO). x')).toEqual(['x']);
    expect(texts('// HACK!!!')).toEqual(['!!!']);
  });

  it('reads an owner in parentheses or brackets', () => {
    expect(js('// TODO(alice): retry on 503')).toMatchObject([{ owner: 'alice', text: 'retry on 503' }]);
    expect(js('// TODO(@alice): x')).toMatchObject([{ owner: 'alice', text: 'x' }]);
    expect(js('// TODO [alice] x')).toMatchObject([{ owner: 'alice', text: 'x' }]);
    expect(js('// TODO (see below) x')).toMatchObject([{ text: '(see below) x' }]);
    expect(js('// TODO (see below) x')[0]?.owner).toBeUndefined();
    // Several words after a space are an owner (or scope) when a colon follows, as in Babel's sources.
    expect(js('// Todo (Babel 8): remove this file')).toMatchObject([{ tag: 'TODO', owner: 'Babel 8', text: 'remove this file' }]);
    expect(js('// TODO (see below): x')).toMatchObject([{ owner: 'see below', text: 'x' }]);
    expect(js('// todo (see below) x')).toEqual([]);
  });

  it('does not take a tag alone in a table cell for a marker', () => {
    const table = ['/**', ' * | Timezone | X   | -08, +0530 |', ' * |          | XXX | -08:00, Z  |', ' */'].join('\n');
    expect(js(table)).toEqual([]);
    expect(js('// | XXX |')).toEqual([]);
    // Written as a marker, it still is one; so is a tag that merely follows a border.
    expect(brief(js('// | XXX: fix the alignment |'))).toEqual(['1:XXX:fix the alignment |']);
    expect(brief(js('// | TODO fix the alignment'))).toEqual(['1:TODO:fix the alignment']);
  });

  it('reads forms found in the JDK sources (compared with leasot, 2026-11-30)', () => {
    const java = (src: string): string[] => brief(scan('java', src));
    // A comment opener inside a comment starts a comment of its own.
    expect(java('private int maxStack; // Maximum size of stack // TODO this could be made final')).toEqual(['1:TODO:this could be made final']);
    expect(java('int a; // desc // todo: inner')).toEqual(['1:TODO:inner']);
    expect(java('/**\n * Called by the AWT <!-- XXX CHECK! --> when the size changes\n */')).toEqual(['2:XXX:CHECK!']);
    expect(java('/**\n * <!-- TODO: add example here -->\n */')).toEqual(['2:TODO:add example here']);
    // ...but not a URL's slashes, nor a word glued to them.
    expect(java('// see http://example.com/TODO list')).toEqual([]);
    expect(java('// a//TODO b')).toEqual([]);
    // ...nor one quoted in a code span.
    expect(java('// write it as `x; // TODO y` to keep it')).toEqual([]);
    expect(java('// as in `Slow. FIXME later`, here')).toEqual([]);
    // ...nor one in a quoted phrase mid-comment (Go's x/tools and stringer).
    expect(java('// Also see many other "TODO: opt" suggestions in this file')).toEqual([]);
    expect(java('// Each example starts with "type XXX [u]int"')).toEqual([]);
    expect(java('// say "hi". TODO: greet back')).toEqual(['1:TODO:greet back']);
    expect(java('// a lone " quote. TODO: still a note')).toEqual(['1:TODO:still a note']);
    expect(java('// "TODO: quoted at the start"')).toEqual(['1:TODO:quoted at the start"']);
    // A comment opened by a quote (Vim) is not a quoted phrase.
    expect(brief(scan('vim', '" Note. TODO: fix "it" now\n'))).toEqual(['1:TODO:fix "it" now']);
    // In capitals at the start of a sentence.
    expect(java('/* Not very efficient. TODO. */')).toEqual(['1:TODO:']);
    expect(java('/**\n * initializing ttype.  FIXME This could be made public and\n */')).toEqual(['2:FIXME:This could be made public and']);
    expect(java('/** segments.  XXX break out UnknownMarkerSegment as a subclass */')).toEqual(['1:XXX:break out UnknownMarkerSegment as a subclass']);
    expect(java('// It works. todo later')).toEqual([]);
    expect(java('// It works. The TODO list is long')).toEqual([]);
    // A dash glued to the tag mid-comment makes a word.
    expect(java('/* we\'ve seen a XXX- sequence */')).toEqual([]);
    expect(java('// TODO- tidy')).toEqual(['1:TODO:tidy']);
    expect(java('// then XXX - check')).toEqual(['1:XXX:check']);
    // The text keeps what is left after the tag's punctuation.
    expect(java('// TODO: ???')).toEqual(['1:TODO:???']);
    expect(java('// [[[FIXME]]] - only if p is within')).toEqual(['1:FIXME:only if p is within']);
    expect(java('x(); // HACK!!!')).toEqual(['1:HACK:!!!']);
    expect(java('// [[[FIXME]]]')).toEqual(['1:FIXME:']);
    expect(java('// TODO: %REVIEW% Not really the right error message.')).toEqual(['1:TODO:%REVIEW% Not really the right error message.']);
  });

  it('accepts `@TODO`, a dash, or no punctuation for upper-case tags', () => {
    expect(brief(js('// @TODO x\n// FIXME - y\n// HACK z'))).toEqual(['1:TODO:x', '2:FIXME:y', '3:HACK:z']);
  });

  it('finds upper-case tags mid-comment only when written as a marker', () => {
    expect(brief(js('x++; // wraps, HACK: around the bug'))).toEqual(['1:HACK:around the bug']);
    expect(brief(js('// see the FIXME(bob) below'))).toEqual(['1:FIXME:below']);
    expect(brief(js('// then @TODO later'))).toEqual(['1:TODO:later']);
    // A tag used as a word in prose is not work left undone.
    expect(js('// this is a HACK around the bug')).toEqual([]);
    expect(js('// the TODO list above is long')).toEqual([]);
    expect(js('// placeholder value XXX')).toEqual([]);
  });

  it('accepts other casings only in an explicit form at the start of the comment', () => {
    expect(brief(js('// todo: x'))).toEqual(['1:TODO:x']);
    expect(brief(js('/** @todo x */'))).toEqual(['1:TODO:x']);
    expect(brief(js('// Todo - x'))).toEqual(['1:TODO:x']);
    expect(js('// fixme(bob): y')).toMatchObject([{ tag: 'FIXME', owner: 'bob', text: 'y' }]);
    expect(brief(js('/*\n * todo: in a block\n */'))).toEqual(['2:TODO:in a block']);
  });

  it('ignores prose and partial words', () => {
    for (const src of [
      '// fix the bug',
      '// debug output',
      '// XXXX',
      '// 0xXXX',
      '// todos',
      '// TODOs are tracked elsewhere',
      '// the todo: list',
      '// todo list',
      '// see bug-tracker',
      '// MY_TODO_LIST',
      '// TODO_LATER',
    ]) {
      expect(js(src), src).toEqual([]);
    }
  });

  it('treats quoted, code-span and hyphen/slash-joined tags in mid-comment as mentions', () => {
    for (const src of [
      '// the TODO-style markers',
      '// counts TODO/FIXME lists',
      '// a non-TODO comment',
      '// ticket TODO-1234',
      `// tags: ['TODO', "FIXME"]`,
      '// write `TODO` to mark work',
      '/** From `TODO(alice)` or `TODO [alice]` */',
    ]) {
      expect(js(src), src).toEqual([]);
    }
    expect(brief(js('// TODO: mention `FIXME` here'))).toEqual(['1:TODO:mention `FIXME` here']);
    expect(brief(js('// a `span` then HACK: after'))).toEqual(['1:HACK:after']);
    expect(brief(js('// unbalanced ` HACK: here'))).toEqual(['1:HACK:here']);
    expect(brief(js('// XXX-XDG: at the start it still counts'))).toEqual(['1:XXX:-XDG: at the start it still counts']);
  });

  it('gives one marker per comment line: a second tag is part of the text', () => {
    expect(brief(js('// TODO: a FIXME: b'))).toEqual(['1:TODO:a FIXME: b']);
    expect(brief(js('/* TODO: a\n FIXME: b */'))).toEqual(['1:TODO:a', '2:FIXME:b']);
  });

  it('uses custom tags, spelled as configured', () => {
    expect(brief(js('// NOTE: x\n// TODO: y', { tags: ['NOTE'] }))).toEqual(['1:NOTE:x']);
    expect(brief(js('// note: x', { tags: ['Note'] }))).toEqual(['1:Note:x']);
    expect(js('// TODO: y', { tags: [] })).toEqual([]);
  });

  it('matches tags that are not words', () => {
    expect(brief(js('// !!! careful', { tags: ['!!!'] }))).toEqual(['1:!!!:careful']);
  });

  it('scans each line of a block comment to its own end', () => {
    const markers = js('/*\n * TODO: first\n * FIXME: second */ code();');
    expect(brief(markers)).toEqual(['2:TODO:first', '3:FIXME:second']);
    expect(markers[1]?.comment).toBe('* FIXME: second */');
  });

  it('collapses whitespace and caps text and evidence', () => {
    expect(js('// TODO:   a \t  b   ')[0]?.text).toBe('a b');
    const long = `// TODO: ${'word '.repeat(200)}`;
    const [marker] = js(long);
    expect(marker?.text.length).toBeLessThanOrEqual(300);
    expect(marker?.text.length).toBeGreaterThan(290);
    expect(marker?.text.endsWith('…')).toBe(true);
    expect(marker?.comment.length).toBeLessThanOrEqual(300);
    expect(marker?.comment.endsWith('…')).toBe(true);
  });

  it('drops box-comment decoration and stray closers around the text', () => {
    expect(js('/* TODO: boxed   **/')[0]?.text).toBe('boxed');
    expect(js('// invalidated (TODO).')).toEqual([]); // a word in prose
    expect(js('// (TODO) later')[0]?.text).toBe('later');
    expect(js('// (FIXME) later')[0]?.text).toBe('later');
    expect(js('// TODO -- wha?')[0]?.text).toBe('wha?');
    expect(js('// TODO -1 is wrong')[0]?.text).toBe('-1 is wrong');
  });

  it('counts columns in characters of the decoded line', () => {
    expect(js('\t// TODO')[0]?.column).toBe(5);
    expect(js('/* é 😀 */ // TODO')[0]?.column).toBe(14);
  });
});

describe('scanFile', () => {
  it('decodes UTF-8 and strips its BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('// é TODO: café\n')]);
    expect(scanFileUnchecked('a.js', bytes, TAGS)).toEqual({
      kind: 'scanned',
      language: 'javascript',
      markers: [{ tag: 'TODO', line: 1, column: 6, text: 'café', comment: '// é TODO: café' }],
    });
  });

  it('survives invalid UTF-8 with replacement characters', () => {
    const bytes = new Uint8Array([...utf8('// \xff TODO: a'), 0xff, 0xc3, ...utf8(' b\n')]);
    const result = scanFileUnchecked('a.js', bytes, TAGS);
    expect(result).toMatchObject({ kind: 'scanned', markers: [{ text: 'a\uFFFD\uFFFD b', comment: '// ÿ TODO: a\uFFFD\uFFFD b' }] });
  });

  it.each([
    ['utf-16le', 0xff, 0xfe],
    ['utf-16be', 0xfe, 0xff],
  ])('decodes %s with a BOM', (encoding, b0, b1) => {
    const text = '// ünï TODO: wide\n';
    const body = new Uint8Array(text.length * 2);
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      const [hi, lo] = [c >> 8, c & 0xff];
      body[2 * k] = encoding === 'utf-16le' ? lo : hi;
      body[2 * k + 1] = encoding === 'utf-16le' ? hi : lo;
    }
    const result = scanFileUnchecked('a.ts', new Uint8Array([b0, b1, ...body]), TAGS);
    expect(result).toMatchObject({ kind: 'scanned', markers: [{ line: 1, column: 8, text: 'wide' }] });
  });

  it('counts lines as git does: CRLF is one line end, a lone CR none (so blame finds the line)', () => {
    const result = scanFileUnchecked('a.c', utf8('a;\r\nb;\rc; // TODO: x\r\n/* \r FIXME */\n'), TAGS);
    expect(result.kind === 'scanned' && result.markers.map((m) => `${m.line}:${m.column}:${m.tag}:${m.text}`)).toEqual(['2:10:TODO:x', '3:6:FIXME:']);
    // A lone CR still ends a line comment: what follows it is code.
    expect(brief(scan('c', 'x; // TODO: a\r"// FIXME no";\n'))).toEqual(['1:TODO:a']);
  });

  it('skips binary files (a NUL byte in the first 8 KB)', () => {
    expect(scanFile('a.c', new Uint8Array([...utf8('// TODO'), 0, 1, 2]), TAGS)).toEqual({ kind: 'skipped', reason: 'binary' });
  });

  it('skips unsupported languages', () => {
    expect(scanFile('a.unknownext', utf8('// TODO'), TAGS)).toEqual({ kind: 'skipped', reason: 'unsupported-language' });
    expect(scanFile('LICENSE', utf8('TODO'), TAGS)).toEqual({ kind: 'skipped', reason: 'unsupported-language' });
  });

  it('falls back to the shebang for extensionless scripts', () => {
    expect(scanFile('bin/tool', utf8('#!/usr/bin/env bash\n# TODO: x\n'), TAGS)).toMatchObject({
      kind: 'scanned',
      language: 'shell',
      markers: [{ line: 2, text: 'x' }],
    });
  });

  it('skips generated files', () => {
    expect(scanFile('a.go', utf8('// Code generated by protoc. DO NOT EDIT.\n// TODO\n'), TAGS)).toEqual({
      kind: 'skipped',
      reason: 'generated',
    });
    expect(scanFile('a.js', utf8('/**\n * @generated\n */\n// TODO\n'), TAGS)).toEqual({ kind: 'skipped', reason: 'generated' });
    expect(isGenerated('a\nb\nc\nd\ne\n// @generated')).toBe(false);
    expect(isGenerated('// Code generated by x. DO NOT EDIT')).toBe(false);
  });

  it('returns no markers quickly when no tag occurs', () => {
    expect(scanFile('a.js', utf8('const x = 1;\n'), TAGS)).toEqual({ kind: 'scanned', language: 'javascript', markers: [] });
  });

  it('tells MATLAB from Objective-C in `.m` files', () => {
    expect(scanFile('f.m', utf8('function y = f(x)\n  y = x\'; % TODO: vectorise\nend\n'), TAGS)).toMatchObject({
      language: 'matlab',
      markers: [{ line: 2, text: 'vectorise' }],
    });
    expect(scanFile('f.m', utf8('#import <Foundation/Foundation.h>\n// TODO: x\n'), TAGS)).toMatchObject({
      language: 'objective-c',
    });
  });

  it('stops lexing after the last candidate without losing markers', () => {
    const src = `// TODO: first\n${'const s = "x";\n'.repeat(1000)}/* FIXME: last */\n${'x = 1;\n'.repeat(1000)}`;
    const result = scanFileUnchecked('a.ts', utf8(src), TAGS);
    expect(result.kind === 'scanned' && brief(result.markers)).toEqual(['1:TODO:first', '1002:FIXME:last']);
  });
});

describe("scanFile with the pre-filter's answer", () => {
  const cases: Array<[string, string | Uint8Array, number]> = [
    ['a.ts', 'const a = 1;\n', -1],
    ['tool', '#!/usr/bin/env python3\nprint(1)\n', -1],
    ['chrono', '// <chrono> -*- C++ -*-\nint x;\n', -1],
    ['README', 'plain words\n', -1],
    ['b.c', new Uint8Array([0x69, 0x6e, 0x74, 0, 0x20]), -1],
    ['bom.py', new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('#!/usr/bin/python\nx = 1\n')]), -1],
    ['bom-tool', new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('#!/bin/sh\necho\n')]), -1],
    ['wide.ts', new Uint8Array([0xff, 0xfe, 0x2f, 0, 0x2f, 0, 0x20, 0, 0x54, 0, 0x4f, 0, 0x44, 0, 0x4f, 0, 0x3a, 0, 0x20, 0, 0x78, 0]), -1],
    // Tags only inside words: the full scan's quick test lets these through, then finds nothing.
    ['debug.ts', '// debug the todos\nconst xxxl = 1;\n', -2],
    ['gen.go', '// Code generated by stringer. DO NOT EDIT.\n\nfunc debug() {}\n', -2],
    ['gen.ts', `// @generated\n${'x'.repeat(20000)}\nconst debug = 1;\n`, -2],
    ['tool2', '#!/bin/sh\n# debugging\n', -2],
  ];

  it.each(cases)('%s: the hint gives the answer of a full scan', (path, content, hint) => {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    // A UTF-16 file is not pre-filtered (its bytes are not latin1 text): the hint is ignored.
    expect(scanFile(path, bytes, TAGS, undefined, { first: hint, next: () => -1 })).toEqual(scanFile(path, bytes, TAGS));
  });
});
