/**
 * Replaces registered secrets with `<sensitive>` in every piece of text shown or
 * logged. A multi-line secret is registered whole, with CRLF normalised to LF, and
 * line by line, so a secret printed one line at a time is still masked (Packer 1.15.1).
 */
export const SENSITIVE = '<sensitive>';

export class SecretFilter {
  #secrets = new Set<string>();
  /** Longest first, so a secret containing another is masked whole. */
  #ordered: string[] = [];

  register(secret: string): void {
    if (secret === '') return;
    const normalized = secret.replaceAll('\r\n', '\n');
    const forms = [secret, normalized, ...normalized.split('\n').filter((l) => l !== '')];
    let changed = false;
    for (const form of forms) {
      if (!this.#secrets.has(form)) {
        this.#secrets.add(form);
        changed = true;
      }
    }
    if (changed) this.#ordered = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.#secrets.size;
  }

  filter(text: string): string {
    let out = text;
    for (const s of this.#ordered) {
      if (out.includes(s)) out = out.replaceAll(s, SENSITIVE);
    }
    return out;
  }
}
