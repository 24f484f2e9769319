import { ConfigError } from '../errors/pipeline-error.js';

/**
 * JSON.parse with errors that say file, line and column: V8 reports only a character offset
 * (`at position 123`), which users cannot find in an editor.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = errorOffset(message, text);
    const { line, column } = lineAndColumn(text, offset);
    const reason = message.replace(/\s*(?:in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new ConfigError(`${file}:${line}:${column}: invalid JSON: ${reason}`, {
      location: { file, line, column },
      hint: 'fix the JSON syntax at that line (a missing comma or quote, or a trailing comma, is the usual cause)',
      cause: error,
    });
  }
}

function errorOffset(message: string, text: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  // "Unexpected end of JSON input" has no position: the end is where it broke.
  return text.length;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
