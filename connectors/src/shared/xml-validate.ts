import { spawn } from 'node:child_process';

/**
 * Validates an XML document against an XSD with libxml2's xmllint (a real validator, as the
 * counterparts use), reading the document from stdin. Exit code 0 is valid, 3 invalid.
 */
export function validateXml(
  xml: string,
  xsdPath: string,
  xmllint = process.env['XMLLINT'] ?? '/usr/bin/xmllint',
): Promise<{ ok: true } | { ok: false; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(xmllint, ['--noout', '--nonet', '--schema', xsdPath, '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve({ ok: true });
      else if (code === 3 || code === 1) {
        resolve({
          ok: false,
          errors: err.split('\n').filter((l) => l && !l.endsWith('fails to validate')),
        });
      } else reject(new Error(`xmllint exited with ${code}: ${err.slice(0, 500)}`));
    });
    p.stdin.end(xml);
  });
}

export const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
