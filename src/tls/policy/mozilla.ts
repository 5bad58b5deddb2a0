/**
 * Compares a scan with one of Mozilla's server-side TLS profiles and lists every deviation in
 * plain words. See readme.md ("Mozilla comparison") for what is and is not checked.
 */
import { PROTOCOLS, type CertificateInfo, type MozillaAssessment, type ProtocolName, type TlsScan } from '../model.js';
import { canonicalGroupName, canonicalSuiteName, curveBits, dhParamBits, groupTraits, mozillaProtocolName } from './ciphers.js';
import { mozillaProfile, type MozillaProfile, type MozillaProfileName } from './guidelines.js';

const DAY_MS = 86_400_000;

const KEY_TYPE_NAMES: Partial<Record<CertificateInfo['keyType'], string>> = {
  RSA: 'rsa',
  'RSA-PSS': 'rsa-pss',
  EC: 'ecdsa',
  Ed25519: 'ed25519',
  Ed448: 'ed448',
  DSA: 'dsa',
  DH: 'dh',
};

function list(items: string[]): string {
  return items.join(', ');
}

function offeredProtocols(scan: TlsScan): ProtocolName[] {
  return PROTOCOLS.filter((protocol) => scan.protocols?.[protocol] === true);
}

function protocolDeviations(scan: TlsScan, name: MozillaProfileName, profile: MozillaProfile, out: string[]): Set<ProtocolName> {
  const allowed = new Set(profile.tls_versions.map(mozillaProtocolName));
  const offered = offeredProtocols(scan);
  const extra = offered.filter((protocol) => !allowed.has(protocol));
  if (extra.length > 0) out.push(`offers ${list(extra)}, which the ${name} profile does not allow (allowed: ${list([...allowed])})`);
  const missing = PROTOCOLS.filter((protocol) => allowed.has(protocol) && !offered.includes(protocol));
  if (missing.length > 0) out.push(`does not offer ${list(missing)}, which the ${name} profile enables`);
  return new Set(offered.filter((protocol) => allowed.has(protocol)));
}

function suiteDeviations(scan: TlsScan, name: MozillaProfileName, profile: MozillaProfile, allowedOffered: Set<ProtocolName>, out: string[]): void {
  const tls12 = new Set([...profile.ciphers.iana, ...profile.ciphers.openssl].map(canonicalSuiteName));
  const tls13 = new Set(profile.ciphersuites.map(canonicalSuiteName));
  for (const protocol of PROTOCOLS) {
    // Suites of a protocol the profile does not allow are covered by the protocol deviation.
    if (!allowedOffered.has(protocol)) continue;
    const permitted = protocol === 'TLSv1.3' ? tls13 : tls12;
    const outside: string[] = [];
    for (const cipher of scan.ciphers) {
      if (cipher.protocol !== protocol) continue;
      const suite = typeof cipher.name === 'string' && cipher.name !== '' ? cipher.name : String(cipher.code);
      if (!permitted.has(canonicalSuiteName(suite)) && !outside.includes(suite)) outside.push(suite);
    }
    if (outside.length === 0) continue;
    const what = protocol === 'TLSv1.3' ? 'TLS 1.3 cipher suites' : 'cipher suites';
    out.push(`${protocol}: ${what} outside the ${name} profile: ${list(outside)}`);
  }
}

function groupDeviations(scan: TlsScan, name: MozillaProfileName, profile: MozillaProfile, out: string[]): void {
  const allowed = new Set(profile.tls_curves.map(canonicalGroupName));
  const outside: string[] = [];
  for (const group of scan.groups) {
    const traits = groupTraits(group);
    const canonical = canonicalGroupName(traits.name);
    if (allowed.has(canonical)) continue;
    const label = typeof group.name === 'string' && group.name !== '' ? group.name : traits.name || String(group.code);
    if (!outside.includes(label)) outside.push(label);
  }
  if (outside.length > 0) out.push(`key exchange groups outside the ${name} profile: ${list(outside)} (allowed: ${list(profile.tls_curves)})`);
  const minimum = profile.ecdh_param_size;
  if (minimum !== null) {
    const small = scan.groups
      .map(groupTraits)
      .filter((traits) => (traits.kind === 'ec' || traits.kind === 'hybrid') && traits.bits !== null && traits.bits < minimum)
      .map((traits) => `${traits.name} (${traits.bits} bits)`);
    if (small.length > 0) out.push(`elliptic curves smaller than the ${name} profile's ${minimum} bits: ${list([...new Set(small)])}`);
  }
}

function normaliseSignature(name: string): string {
  return name.trim().toLowerCase();
}

function certificateDeviations(scan: TlsScan, name: MozillaProfileName, profile: MozillaProfile, out: string[]): void {
  const leaf = scan.chain[0];
  if (!leaf) return;
  const type = KEY_TYPE_NAMES[leaf.keyType] ?? leaf.keyType;
  if (!profile.certificate_types.includes(type)) {
    out.push(`certificate key type ${type} is not one the ${name} profile allows (${list(profile.certificate_types)})`);
  }
  if (leaf.keyType === 'EC') {
    const allowed = new Set(profile.certificate_curves.map(canonicalGroupName));
    if (leaf.curve) {
      if (!allowed.has(canonicalGroupName(leaf.curve))) {
        out.push(`certificate curve ${leaf.curve} is not one the ${name} profile allows (${list(profile.certificate_curves)})`);
      }
    } else {
      const bits = leaf.keyBits ?? curveBits(leaf.curve);
      if (profile.ecdh_param_size !== null && bits !== null && bits < profile.ecdh_param_size) {
        out.push(`certificate EC key of ${bits} bits is smaller than the ${name} profile's ${profile.ecdh_param_size} bits`);
      }
    }
  }
  const signatures = new Set(profile.certificate_signatures.map(normaliseSignature));
  if (leaf.signatureAlgorithm && !signatures.has(normaliseSignature(leaf.signatureAlgorithm))) {
    out.push(`certificate signature ${leaf.signatureAlgorithm} is not one the ${name} profile allows (${list(profile.certificate_signatures)})`);
  }
  if ((leaf.keyType === 'RSA' || leaf.keyType === 'RSA-PSS') && profile.rsa_key_size !== null && typeof leaf.keyBits === 'number' && leaf.keyBits < profile.rsa_key_size) {
    out.push(`certificate RSA key of ${leaf.keyBits} bits is smaller than the ${name} profile's ${profile.rsa_key_size} bits`);
  }
  const notBefore = Date.parse(leaf.notBefore);
  const notAfter = Date.parse(leaf.notAfter);
  if (Number.isFinite(notBefore) && Number.isFinite(notAfter)) {
    // Whole days: CAs issue "90-day" certificates as 90 days exactly or 90 days less a second.
    const days = Math.round((notAfter - notBefore) / DAY_MS);
    if (days > profile.maximum_certificate_lifespan) {
      out.push(`certificate lifespan of ${days} days exceeds the ${name} profile's maximum of ${profile.maximum_certificate_lifespan} days`);
    }
  }
}

/**
 * How `scan` deviates from Mozilla's `profile` (default `intermediate`). `modern` and
 * `intermediate` come from guideline version 6.0, `old` from 5.8.
 */
export function assessMozilla(scan: TlsScan, profileName: MozillaProfileName = 'intermediate'): MozillaAssessment {
  const { version, profile } = mozillaProfile(profileName);
  const deviations: string[] = [];
  const allowedOffered = protocolDeviations(scan, profileName, profile, deviations);
  suiteDeviations(scan, profileName, profile, allowedOffered, deviations);
  groupDeviations(scan, profileName, profile, deviations);

  const dh = dhParamBits(scan);
  if (profile.dh_param_size !== null && dh !== null && dh < profile.dh_param_size) {
    deviations.push(`DH parameters of ${dh} bits are smaller than the ${profileName} profile's ${profile.dh_param_size} bits`);
  }

  certificateDeviations(scan, profileName, profile, deviations);

  if (profile.ocsp_staple && scan.features?.ocspStapling === false) {
    deviations.push(`no OCSP stapling; the ${profileName} profile staples OCSP responses`);
  }
  if (scan.serverOrder !== null && scan.serverOrder !== undefined && scan.serverOrder !== profile.server_preferred_order) {
    deviations.push(
      profile.server_preferred_order
        ? `the server follows the client's cipher order; the ${profileName} profile enforces the server's`
        : `the server enforces its own cipher order; the ${profileName} profile lets the client choose`,
    );
  }
  return { profile: profileName, guidelineVersion: version, compliant: deviations.length === 0, deviations };
}
