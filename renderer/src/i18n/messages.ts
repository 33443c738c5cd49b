/**
 * Message files live one per feature under `locales/<lang>/<feature>.json`, so features add
 * their strings without touching a shared file. Each file's top-level keys are its
 * namespace-like prefixes (`{"grid": {...}}`); two files may not claim the same top-level key.
 */
export type Messages = Record<string, unknown>;

export function mergeMessageFiles(files: Record<string, Messages>): Record<string, Messages> {
  const byLang: Record<string, Messages> = {};
  const owner: Record<string, string> = {};
  for (const [file, content] of Object.entries(files)) {
    const m = /locales\/([a-z]+)\/([^/]+)\.json$/.exec(file);
    if (!m) throw new Error(`message file outside locales/<lang>/: ${file}`);
    const lang = m[1]!;
    const target = (byLang[lang] ??= {});
    for (const [key, value] of Object.entries(content)) {
      const ownerKey = `${lang}:${key}`;
      if (owner[ownerKey]) throw new Error(`message key "${key}" is defined in both ${owner[ownerKey]} and ${file}`);
      owner[ownerKey] = file;
      target[key] = value;
    }
  }
  return byLang;
}

/** Every leaf key path, e.g. `editor.errors.empty`; used to check both languages say the same things. */
export function keyPaths(messages: Messages, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...keyPaths(v as Messages, path));
    else out.push(path);
  }
  return out.sort();
}

const files = import.meta.glob<Messages>('./locales/*/*.json', { eager: true, import: 'default' });
export const MESSAGES = mergeMessageFiles(files);
