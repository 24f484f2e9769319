import { fileURLToPath, pathToFileURL } from 'node:url';
import { fileUrlOf, pathOfFileUrl } from './file-urls.js';

describe('file URLs without a URL object', () => {
  // Seeded: the same 2,000 paths each run, from characters a URL keeps and ones it encodes or resolves.
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const parts = ['a', 'Z', '0', '.', '..', '_', '-', '~', ' ', '%', '#', '?', 'ü', '\\', '/', '//', ':', '@', '+', '"', '[', "'"];
  const paths = ['/', '/a/', '/a/./b', '/a/../b', '/.', '/..', '/a/.', '/...', '/.a', '/a//b'];
  for (let i = 0; i < 2000; i++) paths.push(`/${Array.from({ length: 1 + random(8) }, () => parts[random(parts.length)]).join('')}`);

  it('spells a file URL as pathToFileURL does, for any path', () => {
    for (const file of paths) expect([file, fileUrlOf(file)]).toEqual([file, pathToFileURL(file).href]);
  });

  it('reads a file URL back as fileURLToPath does, for the URL of any path and URLs written by hand', () => {
    const urls = [...paths.map((file) => pathToFileURL(file).href), 'file:///a%20b/c', 'file:///a/./b', 'file:///a/b?x', 'file:///a#b', 'file://localhost/a'];
    for (const url of urls) expect([url, pathOfFileUrl(url)]).toEqual([url, fileURLToPath(url)]);
  });

  it('fails as fileURLToPath does on a URL that is no local file', () => {
    const codeOf = (work: () => unknown) => {
      try {
        work();
        return 'no error';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    for (const url of ['file://host/a', 'file:///a%2Fb', 'https://example.com/a', 's3://bucket/key']) {
      expect([url, codeOf(() => pathOfFileUrl(url))]).toEqual([url, codeOf(() => fileURLToPath(url))]);
      expect(codeOf(() => pathOfFileUrl(url))).toMatch(/^ERR_INVALID_/);
    }
  });
});
