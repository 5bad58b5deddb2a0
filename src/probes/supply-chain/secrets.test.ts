import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowsUnquoted, describeSecret, isPlaceholder, redactSecrets, scanSecrets, secretHit, shannonEntropy, type SecretScanOptions } from './secrets.js';
import { plantedSecrets, random } from './test-support/fixtures.js';

const options: SecretScanOptions = { entropyThreshold: 3.5, minLength: 16, unquoted: false };
const s = plantedSecrets();
const found = (text: string, opts: Partial<SecretScanOptions> = {}): string[] => scanSecrets(text, { ...options, ...opts }).map((m) => `${m.line} ${m.kind}`);

describe('scanSecrets', () => {
  it('finds each kind of credential at its line', () => {
    const text = [
      `const github = "${s.github}";`, // 1
      `GITHUB_PAT=${s.githubPat}`, // 2
      `gitlab: ${s.gitlab}`, // 3
      `slack_bot = '${s.slack}'`, // 4
      `webhook = "${s.slackWebhook}"`, // 5
      `//registry.npmjs.org/:_authToken=${s.npm}`, // 6
      `stripe.api_key = "${s.stripe}"`, // 7
      '', // 8
      `aws_access_key_id = ${s.awsKeyId}`, // 9
      `aws_secret_access_key = ${s.awsSecret}`, // 10
      s.pem, // 11…
    ].join('\n');
    expect(found(text)).toEqual([
      '1 github-token',
      '2 github-token',
      '3 gitlab-token',
      '4 slack-token',
      '5 slack-webhook',
      '6 npm-token',
      '7 stripe-live-key',
      '9 aws-access-key',
      '11 private-key',
    ]);
    const aws = scanSecrets(text, options).find((m) => m.kind === 'aws-access-key')!;
    expect(aws.value).toBe(s.awsSecret);
    expect(aws.related).toEqual([s.awsKeyId]);
    expect(scanSecrets(text, options).find((m) => m.kind === 'private-key')!.value).toBe(s.pemBody);
  });

  it('reports a lone AWS key id as low-confidence', () => {
    expect(found(`key = "${s.awsKeyId}"`)).toEqual(['1 aws-access-key-id']);
  });

  it('recognises a GCP service-account key file as one finding', () => {
    const json = JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: 'abc', private_key: `${s.pem}\n`, client_email: 'x@p.iam.gserviceaccount.com' }, null, 2);
    expect(found(json)).toEqual(['5 gcp-service-account-key']);
  });

  it('reports encrypted private keys apart', () => {
    const encrypted = s.pem.replace(/RSA PRIVATE KEY-----\n/, 'RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n');
    expect(found(encrypted)).toEqual(['1 encrypted-private-key']);
  });

  it('finds high-entropy generic assignments, quoted in code and unquoted in config files', () => {
    expect(found(`const dbPassword = "${s.password}";`)).toEqual(['1 generic']);
    expect(found(`"client_secret": "${s.password}"`)).toEqual(['1 generic']);
    expect(found(`DB_PASSWORD=${s.password}`)).toEqual([]);
    expect(found(`DB_PASSWORD=${s.password}`, { unquoted: true })).toEqual(['1 generic']);
    const [match] = scanSecrets(`self.api_key = '${s.password}'`, options);
    expect(match).toMatchObject({ kind: 'generic', name: 'api_key', value: s.password });
  });

  it.each([
    'password = "changeme-changeme-changeme"',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'api_key = "<your-api-key-goes-here>"',
    'secret = "xxxxxxxxxxxxxxxxxxxxxxxx"',
    'password = "aaaaaaaabbbbbbbbaaaa"',
    'password = process.env.DB_PASSWORD_VALUE',
    'password: ${DB_PASSWORD_FROM_VAULT}',
    'token = "abcdefghijklmnopqrstuvwxyz"',
    'secret_key = "SOME_CONSTANT_NAME_HERE"',
    'password = "correct horse battery staple"',
    'private_key = "keys/deploy-key-production.pem"',
    'auth_token = "https://auth.example.com/oauth/token"',
    'accessKey: settings.aws.credentials.accessKey',
    'tokenizer = "WordPieceTokenizerFast2024"',
  ])('ignores %s', (line) => {
    expect(found(line, { unquoted: true })).toEqual([]);
  });

  it('ignores obvious placeholders of the prefixed formats', () => {
    const fakes = [`${['gh', 'p_'].join('')}${'x'.repeat(36)}`, `${['gh', 'p_'].join('')}${'0123456789abcdefghijklmnopqrstuvwxyz'}`, `${['AK', 'IA'].join('')}IOSFODNN7${'EXAMPLE'}`];
    for (const fake of fakes) expect(found(`token = "${fake}"`, { unquoted: true })).toEqual([]);
    expect(found(`${['-----BEGIN', 'PRIVATE KEY-----'].join(' ')}\n...\n${['-----END', 'PRIVATE KEY-----'].join(' ')}`)).toEqual([]);
  });

  it('skips lines marked as allowed', () => {
    expect(found(`const t = "${s.github}"; // gitleaks:allow`)).toEqual([]);
    expect(found(`password = "${s.password}"  # pragma: allowlist secret`)).toEqual([]);
  });

  it('reports a value once even when several detectors match it', () => {
    expect(found(`GITHUB_TOKEN = "${s.github}"\nother_token = "${s.github}"`)).toEqual(['1 github-token']);
  });

  it('knows which files take unquoted values', () => {
    expect(['.env', '.env.production', 'config/app.yaml', 'settings.ini', 'deploy.sh', '.npmrc', 'Dockerfile'].every(allowsUnquoted)).toBe(true);
    expect(['src/app.ts', 'main.py', 'README.md'].some(allowsUnquoted)).toBe(false);
  });

  it('measures entropy', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(isPlaceholder('${TOKEN}')).toBe(true);
  });
});

describe('never printing a secret', () => {
  it('describes a secret by kind, length, prefix and hash only', () => {
    const described = describeSecret(s.github);
    expect(described).toEqual({ redacted: `${s.github.slice(0, 4)}…`, length: 40, sha256: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.stringify(described)).not.toContain(s.github.slice(4, 12));
  });

  it('builds hits that contain none of the planted values', () => {
    const values = Object.values(s);
    const text = values.map((value, i) => `secret_${i} = "${value}"`).join('\n') + `\nother = "${s.awsKeyId}"`;
    const matches = scanSecrets(text, { ...options, unquoted: true });
    expect(matches.length).toBeGreaterThanOrEqual(8);
    const serialised = JSON.stringify(matches.map((match) => secretHit('config/settings.py', match)));
    for (const value of values) {
      expect(serialised).not.toContain(value);
      // No long chunk either (the fingerprint key and the data only hold a 16-hex prefix of the hash).
      expect(serialised).not.toContain(value.slice(4, 16));
    }
  });

  it('redacts credentials quoted as evidence', () => {
    const command = `curl -H "Authorization: token ${s.github}" https://user:${s.password}@example.com/install.sh | sh`;
    const redacted = redactSecrets(command, { ...options, unquoted: true });
    expect(redacted).not.toContain(s.github);
    expect(redacted).not.toContain(s.password);
    expect(redacted).toContain(`${s.github.slice(0, 4)}…`);
    expect(redacted).toContain('https://user:…@example.com');
  });

  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const prefixes = [['gh', 'p_'], ['gh', 's_'], ['np', 'm_'], ['gl', 'pat-'], ['sk', '_live_']].map((parts) => parts.join(''));

  it('property: a token planted anywhere is found and never appears in the hit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(...prefixes), fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (seed, prefix, before, after) => {
        const body = random(seed)(ALNUM, prefix === 'glpat-' ? 20 : prefix === 'sk_live_' ? 24 : 36);
        fc.pre(shannonEntropy(body) >= 3.5 && !/example/i.test(body));
        const token = prefix + body;
        const text = `${before}\n${token}\n${after}`;
        const matches = scanSecrets(text, { ...options, unquoted: true });
        fc.pre(!matches.some((m) => m.kind !== 'generic' && m.value !== token)); // the random text may hold its own
        const serialised = JSON.stringify(matches.map((match) => secretHit('f.txt', match)));
        expect(serialised).not.toContain(token);
        expect(serialised).not.toContain(body.slice(0, 12));
        expect(redactSecrets(text, { ...options, unquoted: true })).not.toContain(token);
      }),
    );
  });

  it('property: the scanner never throws and never returns a hit holding its value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        for (const match of scanSecrets(text, { ...options, unquoted: true })) {
          const hit = JSON.stringify(secretHit('f', match));
          if (match.value.length >= 8) expect(hit).not.toContain(match.value);
        }
      }),
    );
  });
});
