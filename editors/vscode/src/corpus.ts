// What a corpus's `dossier.toml` says, read the way the server reads it: the globs of its
// articles and the paths of its knowledge-base files, relative to the file. No VS Code here,
// so it is unit-tested with plain Node.
import { parse } from "smol-toml";

/** The defaults of `dossier.toml`'s two keys (as in the server's `corpus/`). */
export const DEFAULT_ARTICLES = ["**/*.txt", "**/*.md"];
export const DEFAULT_KNOWLEDGE = ["entities.toml"];

export interface CorpusConfig {
  /** Globs of the article files, relative to the corpus root. */
  articles: string[];
  /** Knowledge-base files, relative to the corpus root. */
  knowledge: string[];
  /** Why the file could not be read as it stands, when it could not (defaults are used). */
  error?: string;
}

function strings(value: unknown, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  return fallback;
}

/** The article globs and knowledge-base paths of a `dossier.toml`, defaults where absent. */
export function readCorpusConfig(text: string): CorpusConfig {
  try {
    const doc = parse(text) as Record<string, unknown>;
    return {
      articles: strings(doc.articles, DEFAULT_ARTICLES),
      knowledge: strings(doc.knowledge, DEFAULT_KNOWLEDGE),
    };
  } catch (err) {
    return {
      articles: DEFAULT_ARTICLES,
      knowledge: DEFAULT_KNOWLEDGE,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

/** A glob or path from `dossier.toml` as a VS Code glob relative to the corpus root. */
export function relativeGlob(pattern: string): string {
  let p = pattern.replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/**
 * The glob patterns (relative to the corpus root) of the files the server should see: the
 * articles and the knowledge-base files — never every `.toml`.
 */
export function corpusPatterns(config: CorpusConfig): string[] {
  return [...config.articles, ...config.knowledge].map(relativeGlob);
}
